import type { LMStudioClient } from '@lmstudio/sdk';
import {
  BackendError,
  type BackendErrorCode,
  type BackendHealth,
  type ChatMessage,
  type LoadedModel,
  type LoadOptions,
  type ModelBackend,
  type ModelInfo,
  type RespondOptions,
  type RespondResult,
} from '../ModelBackend';
import { withDeadline } from './deadline';
import { withGgufProfiles, type ProfileCache } from './ggufProfiles';
import { InstanceBook } from './instanceBook';
import { loadAgain, loadOrReuse, reloadingIfEjected, type InstanceLoadContext } from './instanceLoads';
import { resolveOptions, type LmStudioBackendOptions, type ResolvedOptions } from './lmStudioBackendOptions';
import { describeLoaded } from './loadedModels';
import { LmStudioConnection } from './LmStudioConnection';
import { respondThroughSdk, type RespondTimings } from './respondThroughSdk';
import { toBackendError } from './sdkErrors';
import { toModelInfo } from './sdkMapping';
import { StallGate } from './stallGate';
import { streamsAgain } from './streamProbe';

/** Mai's engine over LM Studio, through the official SDK with every one of its traps guarded. */
export function createLmStudioBackend(options: LmStudioBackendOptions = {}): ModelBackend {
  return new LmStudioBackend(options);
}

// A frozen LM Studio gets this long to unload (a working one answers in milliseconds); what it keeps, its idle TTL
// unloads later, so shutting down need not wait a whole call deadline per model.
const stalledUnloadTimeoutMs = 2_000;

interface CallOptions {
  /** null: the operation bounds itself. */
  timeoutMs?: number | null;
  /** False for what must still be tried while LM Studio is skipped for a stall (unloading). */
  gated?: boolean;
}

class LmStudioBackend implements ModelBackend {
  readonly id = 'lmstudio' as const;
  private readonly options: ResolvedOptions;
  private readonly connection: LmStudioConnection;
  /** The instances handed out: which are Mai's to unload, and what to load again when one is ejected. */
  private readonly book = new InstanceBook();
  /** Answers in flight, cancelled on close so the SDK's dispose has nothing left open. */
  private readonly answering = new Map<AbortController, Promise<unknown>>();
  private readonly profileCache: ProfileCache = new Map();
  private readonly gate: StallGate;
  private readonly timings: RespondTimings;
  private readonly loads: InstanceLoadContext;

  constructor(options: LmStudioBackendOptions) {
    this.options = resolveOptions(options);
    const { firstFragmentTimeoutMs, fragmentStallTimeoutMs, cancelGraceMs, callTimeoutMs, logger } = this.options;
    const timings = { firstFragmentTimeoutMs, fragmentStallTimeoutMs, cancelGraceMs };
    this.timings = timings;
    this.connection = new LmStudioConnection(this.options);
    this.loads = {
      book: this.book,
      logger,
      idleTtlMs: this.options.idleTtlMs,
      loadedNow: (client) => this.loadedNow(client),
      describe: (client, identifier) => this.describe(client, identifier),
    };
    this.gate = new StallGate({
      clock: this.options.clock,
      logger,
      recheckInitialMs: this.options.stallRecheckInitialMs,
      recheckMaxMs: this.options.stallRecheckMaxMs,
      check: (identifier) => streamsAgain(this.connection, identifier, { timings, callTimeoutMs, logger }),
    });
  }

  async health(): Promise<BackendHealth> {
    return this.gate.health() ?? this.connection.health();
  }

  async listModels(): Promise<ModelInfo[]> {
    const models = await this.call('list the downloaded models', 'internal', async (client) =>
      (await client.system.listDownloadedModels('llm')).map(toModelInfo),
    );
    return withGgufProfiles(models, this.options.modelsDirs, this.profileCache);
  }

  listLoaded(): Promise<LoadedModel[]> {
    return this.call('list the loaded models', 'internal', (client) => this.loadedNow(client));
  }

  /** Reuses an instance LM Studio already has when its context is enough; otherwise loads one, with an idle TTL. */
  load(key: string, options: LoadOptions = {}): Promise<LoadedModel> {
    const timeoutMs = options.timeoutMs ?? this.options.loadTimeoutMs;
    const work = (client: LMStudioClient) => loadOrReuse(client, key, options, timeoutMs, this.loads);
    return this.call(`load ${key}`, 'load_failed', work, { timeoutMs: timeoutMs + this.options.callTimeoutMs });
  }

  /** Unloads what Mai loaded; an instance the person loaded is only let go of (it stays in LM Studio). */
  unload(identifier: string): Promise<void> {
    const known = this.book.get(identifier);
    if (known && !known.owned) {
      this.book.forget(identifier);
      this.options.logger.info('left a model the person loaded in LM Studio', { identifier });
      return Promise.resolve();
    }
    const timeoutMs = this.gate.isShut ? stalledUnloadTimeoutMs : this.options.callTimeoutMs;
    const work = async (client: LMStudioClient) => {
      await client.llm.unload(identifier);
      this.book.forget(identifier);
    };
    return this.call(`unload ${identifier}`, 'internal', work, { timeoutMs, gated: false });
  }

  respond(identifier: string, messages: ChatMessage[], options: RespondOptions = {}): Promise<RespondResult> {
    const work = async (client: LMStudioClient) => {
      // Tracked so close() can cancel it; a person's own signal still cancels through the same controller.
      const stop = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
      const handle = client.llm.createDynamicHandle(identifier);
      const { logger } = this.options;
      const answering = respondThroughSdk(handle, identifier, messages, { ...options, signal }, this.timings, logger);
      this.answering.set(stop, answering);
      try {
        return await answering;
      } catch (error) {
        if (error instanceof BackendError && error.code === 'stalled') this.gate.trip(error, identifier);
        throw error;
      } finally {
        this.answering.delete(stop);
      }
    };
    // respondThroughSdk bounds itself: by silence, not by the length of the answer.
    return this.reloadingIfEjected(identifier, () =>
      this.call(`answer with ${identifier}`, 'internal', work, { timeoutMs: null }),
    );
  }

  countTokens(identifier: string, text: string): Promise<number> {
    return this.reloadingIfEjected(identifier, () =>
      this.call(`count tokens with ${identifier}`, 'internal', (client) =>
        client.llm.createDynamicHandle(identifier).countTokens(text),
      ),
    );
  }

  async contextLength(identifier: string): Promise<number> {
    const loaded = await this.reloadingIfEjected(identifier, () =>
      this.call(`read the context length of ${identifier}`, 'internal', (client) => this.describe(client, identifier)),
    );
    return loaded.contextLength;
  }

  async close(): Promise<void> {
    // Cancelled answers end as 'cancelled' with their text, before the sockets go (which would make them errors).
    for (const stop of this.answering.keys()) stop.abort();
    const answers = Promise.allSettled(this.answering.values());
    await withDeadline(answers, this.options.cancelGraceMs + 500, 'finish the answers in flight').catch(() => {});
    for (const identifier of this.book.owned()) {
      await this.unload(identifier).catch((error: unknown) =>
        this.options.logger.warn('could not unload on close', { identifier, error: String(error) }),
      );
    }
    await this.connection.close();
  }

  private reloadingIfEjected<T>(identifier: string, operation: () => Promise<T>): Promise<T> {
    const { loadTimeoutMs, callTimeoutMs } = this.options;
    return reloadingIfEjected(identifier, operation, this.loads, (known) =>
      this.call(
        `load ${known.key} again`,
        'load_failed',
        (client) => loadAgain(client, identifier, known, loadTimeoutMs, this.loads),
        { timeoutMs: loadTimeoutMs + callTimeoutMs },
      ),
    );
  }

  private async loadedNow(client: LMStudioClient): Promise<LoadedModel[]> {
    // The LLM objects listLoaded returns carry no context length (§9.8): each instance is described on its own.
    const loaded = await client.llm.listLoaded();
    return Promise.all(loaded.map(({ identifier }) => this.describe(client, identifier)));
  }

  private describe(client: LMStudioClient, identifier: string): Promise<LoadedModel> {
    const handle = client.llm.createDynamicHandle(identifier);
    return describeLoaded(handle, identifier, this.options.callTimeoutMs, this.options.logger);
  }

  /**
   * Runs one operation on the attached client under a deadline, naming any failure and telling the connection when
   * the failure means LM Studio went away. While LM Studio is skipped for a stall, gated operations fail at once.
   */
  private async call<T>(
    operation: string,
    fallback: BackendErrorCode,
    work: (client: LMStudioClient) => Promise<T>,
    { timeoutMs = this.options.callTimeoutMs, gated = true }: CallOptions = {},
  ): Promise<T> {
    const blocked = gated ? this.gate.blocking(operation) : null;
    if (blocked) throw blocked;
    const client = await this.connection.client();
    try {
      const working = work(client);
      return await (timeoutMs === null ? working : withDeadline(working, timeoutMs, operation));
    } catch (error) {
      const named = toBackendError(error, operation, fallback);
      this.connection.reportFailure(client, named);
      throw named;
    }
  }
}
