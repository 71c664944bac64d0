import type { ModelListing } from '../../shared/contract';
import type { Clock } from '../clock';
import {
  BackendError,
  type BackendId,
  type ContextOptions,
  type KvCacheType,
  type LoadOptions,
  type ModelBackend,
} from '../backends/ModelBackend';
import type { Logger } from '../logger';
import { FailureBackoff } from './failureBackoff';
import type { LoadMeasurements } from './measureLoad';
import { shouldAwaitMemoryRecovery, waitForMemoryRecovery } from './memoryRecovery';

/** The model Mai has loaded and answers with. */
export interface ActiveModel {
  key: string;
  backend: BackendId;
  identifier: string;
  contextLength: number;
  /** The catalog's estimate when it was loaded: what unloading it should give back. */
  estimateRamBytes: number;
  estimateVramBytes: number;
  loadedAtMs: number;
  loadMs: number;
  /** An instance the engine already had (the person loaded it in LM Studio): unloading it gives no memory back. */
  reused?: boolean;
  /** The KV cache's type where a relief step quantized it (f16 otherwise). */
  kvCacheType?: KvCacheType;
  /** The window it was loaded with, where a relief step made it smaller: it still serves loads asking up to this. */
  loadedContextLength?: number;
}

/** Whether the active model serves a load asking for `contextLength` (a window a relief step shrank counts whole). */
function serves(active: ActiveModel, key: string, contextLength: number): boolean {
  return active.key === key && (active.loadedContextLength ?? active.contextLength) >= contextLength;
}

export type ModelMode = 'auto' | 'pinned';

export interface ModelManagerDeps {
  backends: readonly ModelBackend[];
  clock: Clock;
  logger: Logger;
  /** A fresh reading of available RAM, for waiting until an unload has given memory back. */
  readAvailableBytes: () => Promise<number>;
  /** Told of every load and unload, to learn what models really take (see measureLoad.ts). */
  measurements?: Pick<LoadMeasurements, 'begin' | 'beforeUnload'>;
  onLoadProgress?: (key: string, fraction: number) => void;
  /** Where the next load may place layers: 'off' on a low battery (see powerPreference.ts); 'auto' by default. */
  gpuOffload?: () => LoadOptions['gpuOffload'];
  /** A load that takes longer is abandoned; 10 min covers a 70B model from a slow disk. */
  loadTimeoutMs?: number;
  recovery?: { pollMs?: number; timeoutMs?: number };
}

/**
 * Holds which model is loaded and loads the next one: one load at a time, concurrent requests for the same model
 * share one load, the old model is unloaded (and its memory waited for) before the new one loads, and failures
 * are remembered so selection avoids them for a while. Which model to load is decided elsewhere (selectModel).
 */
export class ModelManager {
  private active: ActiveModel | null = null;
  private readonly preloaded = new Map<string, ActiveModel>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Map<string, Promise<ActiveModel>>();
  private readonly backoff = new FailureBackoff();
  private modeValue: ModelMode = 'auto';
  private pinnedKeyValue: string | null = null;

  constructor(private readonly deps: ModelManagerDeps) {}

  current(): ActiveModel | null {
    return this.active;
  }

  get mode(): ModelMode {
    return this.modeValue;
  }

  get pinnedKey(): string | null {
    return this.pinnedKeyValue;
  }

  /** Pinned: Mai answers with this model only and the scaler leaves it alone (failures still fall back). */
  pin(key: string): void {
    this.modeValue = 'pinned';
    this.pinnedKeyValue = key;
  }

  automatic(): void {
    this.modeValue = 'auto';
    this.pinnedKeyValue = null;
  }

  avoided(): Map<string, string> {
    return this.backoff.avoided(this.deps.clock.monotonicMs());
  }

  recordFailure(key: string, reason: string): number {
    return this.backoff.recordFailure(key, reason, this.deps.clock.monotonicMs());
  }

  private backendFor(entry: ModelListing): ModelBackend {
    const backend = this.deps.backends.find((b) => b.id === entry.backend);
    if (!backend) throw new BackendError('not_found', `no ${entry.backend} backend for ${entry.key}`, entry.backend);
    return backend;
  }

  /** Runs one load (or unload) at a time, in the order asked. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Makes `entry` the active model with at least `contextLength`; resolves at once when it already is. A load that
   * fails is recorded (backoff) and rethrown; the previous model has been unloaded by then, so the caller falls back.
   */
  ensure(entry: ModelListing, contextLength: number): Promise<ActiveModel> {
    const active = this.active;
    if (active && serves(active, entry.key, contextLength)) return Promise.resolve(active);
    const pending = this.inFlight.get(entry.key);
    if (pending) return pending;
    const load = this.serialized(() => this.switchTo(entry, contextLength)).finally(() =>
      this.inFlight.delete(entry.key),
    );
    this.inFlight.set(entry.key, load);
    return load;
  }

  private async switchTo(entry: ModelListing, contextLength: number): Promise<ActiveModel> {
    const active = this.active;
    if (active && serves(active, entry.key, contextLength)) return active;
    const preloaded = this.preloaded.get(entry.key);
    if (active) await this.unloadActive();
    if (preloaded && preloaded.contextLength >= contextLength) {
      this.preloaded.delete(entry.key);
      this.active = preloaded;
      return preloaded;
    }
    this.active = await this.load(entry, contextLength);
    return this.active;
  }

  /**
   * Unloads the active model and waits for its memory to come back (stepping aside for another program); the next
   * message loads whatever fits then. Resolves with the model it unloaded, or null where none was loaded.
   */
  release(): Promise<ActiveModel | null> {
    return this.serialized(async () => {
      const active = this.active;
      await this.unloadActive();
      return active;
    });
  }

  /**
   * The active model with another window or KV cache type (a relief step, or giving one back): a new context where
   * the engine makes one with the weights kept, else a reload with the new options. `estimate` is what it takes then.
   */
  reconfigure(entry: ModelListing, options: ContextOptions, estimate: { ramBytes: number; vramBytes: number }) {
    return this.serialized(async (): Promise<ActiveModel> => {
      const active = this.active;
      if (active?.key !== entry.key) throw new BackendError('not_found', `${entry.key} is not loaded`, entry.backend);
      const backend = this.backendFor(entry);
      const contextLength = options.contextLength ?? active.contextLength;
      const kvCacheType = options.kvCacheType ?? active.kvCacheType ?? 'f16';
      let next: ActiveModel;
      if (backend.reconfigure) {
        const loaded = await backend.reconfigure(active.identifier, { contextLength, kvCacheType });
        next = { ...active, contextLength: loaded.contextLength };
      } else {
        await this.unloadActive();
        next = await this.load(entry, contextLength, kvCacheType);
      }
      this.active = {
        ...next,
        kvCacheType,
        loadedContextLength: active.loadedContextLength ?? active.contextLength,
        estimateRamBytes: estimate.ramBytes,
        estimateVramBytes: estimate.vramBytes,
      };
      return this.active;
    });
  }

  private async load(entry: ModelListing, contextLength: number, kvCacheType?: KvCacheType): Promise<ActiveModel> {
    const backend = this.backendFor(entry);
    const startedMs = this.deps.clock.monotonicMs();
    const measurement = this.deps.measurements?.begin(entry.backend, entry.key);
    const gpuOffload = this.deps.gpuOffload?.() ?? 'auto';
    // Kept off the GPU (a low battery), what the estimate put in VRAM lands in RAM, and the GPU may sleep.
    const ramBytes = (entry.estimate?.ramBytes ?? 0) + (gpuOffload === 'off' ? (entry.estimate?.vramBytes ?? 0) : 0);
    const vramBytes = gpuOffload === 'off' ? 0 : (entry.estimate?.vramBytes ?? 0);
    try {
      const loaded = await backend.load(entry.key, {
        contextLength,
        ...(kvCacheType === undefined ? {} : { kvCacheType }),
        gpuOffload,
        timeoutMs: this.deps.loadTimeoutMs ?? 10 * 60_000,
        onProgress: (fraction) => this.deps.onLoadProgress?.(entry.key, fraction),
      });
      this.backoff.recordSuccess(entry.key);
      await measurement?.finish(loaded);
      const loadMs = this.deps.clock.monotonicMs() - startedMs;
      // The note says when an instance already loaded was reused, or why another copy was loaded beside it.
      const note = loaded.note === undefined ? {} : { note: loaded.note };
      this.deps.logger.info('model loaded', { key: entry.key, backend: entry.backend, loadMs, ...note });
      return {
        ...(loaded.reused ? { reused: true } : {}),
        key: entry.key,
        backend: entry.backend,
        identifier: loaded.identifier,
        contextLength: loaded.contextLength,
        estimateRamBytes: ramBytes,
        estimateVramBytes: vramBytes,
        loadedAtMs: this.deps.clock.nowMs(),
        loadMs,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.recordFailure(entry.key, message);
      throw error instanceof BackendError
        ? error
        : new BackendError('load_failed', `loading ${entry.key} failed: ${message}`, entry.backend, { cause: error });
    }
  }

  private async unloadActive(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = null;
    // A reused instance stays with whoever loaded it: no memory comes back to wait for.
    if (active.reused || !shouldAwaitMemoryRecovery(active.backend, active.estimateRamBytes)) {
      await this.unloadQuietly(active);
      return;
    }
    const baselineAvailableBytes = await this.deps.readAvailableBytes();
    await this.unloadQuietly(active);
    const recovery = await waitForMemoryRecovery({
      readAvailableBytes: this.deps.readAvailableBytes,
      baselineAvailableBytes,
      expectedFreedBytes: active.estimateRamBytes,
      nowMs: () => this.deps.clock.monotonicMs(),
      ...this.deps.recovery,
    });
    if (!recovery.recovered) {
      this.deps.logger.warn('memory did not come back after an unload', { key: active.key, ...recovery });
    }
  }

  private async unloadQuietly(model: ActiveModel): Promise<void> {
    this.deps.measurements?.beforeUnload(model.backend, model.key);
    const backend = this.deps.backends.find((b) => b.id === model.backend);
    await backend?.unload(model.identifier).catch((error: unknown) => {
      // A backend that went away took the model with it; nothing is left to free.
      this.deps.logger.warn('unload failed', { key: model.key, error: String(error) });
    });
  }

  /**
   * Loads a model beside the active one so a later switch is instant. The caller checks that it fits without
   * creating pressure (the active model stays loaded meanwhile).
   */
  preload(entry: ModelListing, contextLength: number): Promise<ActiveModel> {
    if (this.active?.key === entry.key) return Promise.resolve(this.active);
    const existing = this.preloaded.get(entry.key);
    if (existing) return Promise.resolve(existing);
    return this.serialized(async () => {
      const model = await this.load(entry, contextLength);
      this.preloaded.set(entry.key, model);
      return model;
    });
  }

  /** Unloads everything Mai loaded. */
  close(): Promise<void> {
    return this.serialized(async () => {
      const models = [...(this.active ? [this.active] : []), ...this.preloaded.values()];
      this.active = null;
      this.preloaded.clear();
      await Promise.all(models.map((model) => this.unloadQuietly(model)));
    });
  }
}
