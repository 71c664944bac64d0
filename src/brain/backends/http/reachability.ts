import type { Clock } from '../../clock';
import { BackendError, type BackendHealth, type BackendId } from '../ModelBackend';

export interface ReachabilityOptions {
  engine: BackendId;
  /** Asks the engine whether it is there (a cheap documented call); resolves with the words for a ready status. */
  probe: () => Promise<string>;
  clock: Clock;
  /** First wait after a failed probe before asking again; doubles up to the maximum, back to the first on success. */
  retryInitialMs: number;
  retryMaxMs: number;
}

type State =
  | { kind: 'unknown' }
  | { kind: 'ready'; detail: string }
  | { kind: 'unavailable'; error: BackendError; retryAtMs: number };

/**
 * Whether an HTTP engine is there, probed like LM Studio's connection: each probe is bounded (the probe's own
 * timeout), a failed one is not repeated until its backoff has passed (a host off the network would otherwise cost
 * every message a full timeout), and a lost engine is probed again after the backoff, so it comes back by itself.
 */
export class Reachability {
  private state: State = { kind: 'unknown' };
  private probing: Promise<void> | null = null;
  private retryMs: number;

  constructor(private readonly options: ReachabilityOptions) {
    this.retryMs = options.retryInitialMs;
  }

  async health(): Promise<BackendHealth> {
    await this.refresh();
    const state = this.state;
    const id = this.options.engine;
    if (state.kind === 'ready') return { id, status: 'ready', detail: state.detail };
    if (state.kind === 'unavailable') {
      const status = state.error.code === 'not_running' ? 'unavailable' : 'error';
      return { id, status, detail: state.error.message };
    }
    return { id, status: 'connecting', detail: 'not asked yet' };
  }

  /**
   * Throws the reason it is not there, probing first when Mai has not asked yet or the backoff has passed. A ready
   * engine is not probed again: the operation itself tells (and calls `lost`).
   */
  async ensureReady(): Promise<void> {
    if (this.state.kind === 'ready') return;
    await this.refresh();
    if (this.state.kind === 'unavailable') throw this.state.error;
  }

  /** An operation found the engine gone: mark it so, and look again after the first backoff. */
  lost(error: BackendError): void {
    this.retryMs = this.options.retryInitialMs;
    this.state = { kind: 'unavailable', error, retryAtMs: this.options.clock.monotonicMs() + this.retryMs };
  }

  private refresh(): Promise<void> {
    const state = this.state;
    if (state.kind === 'unavailable' && this.options.clock.monotonicMs() < state.retryAtMs) return Promise.resolve();
    this.probing ??= this.probeOnce().finally(() => (this.probing = null));
    return this.probing;
  }

  /**
   * A kept-alive connection the engine closed (it restarted, or the host went away) fails its next request once
   * before a fresh connection is tried: that first failure says nothing of the engine, so the probe asks again.
   */
  private async probeTwiceIfStale(): Promise<string> {
    try {
      return await this.options.probe();
    } catch (error) {
      if (error instanceof BackendError && error.code === 'disconnected') return this.options.probe();
      throw error;
    }
  }

  private async probeOnce(): Promise<void> {
    try {
      this.state = { kind: 'ready', detail: await this.probeTwiceIfStale() };
      this.retryMs = this.options.retryInitialMs;
    } catch (error) {
      const named =
        error instanceof BackendError
          ? error
          : new BackendError('internal', error instanceof Error ? error.message : String(error), this.options.engine);
      this.state = { kind: 'unavailable', error: named, retryAtMs: this.options.clock.monotonicMs() + this.retryMs };
      this.retryMs = Math.min(this.retryMs * 2, this.options.retryMaxMs);
    }
  }
}
