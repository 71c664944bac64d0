import type { ModelEntry } from '../config';
import { EventHub } from '../EventHub';
import { PullError } from './PullError';
import { pullModel, resolvePullTarget, type PullDeps, type PullProgress, type PullResult } from './pullModel';

/** A pull's progress as hosts show it: the transfer's phases, plus how it ended when it did not finish. */
export type PullEvent =
  | (PullProgress & { message: null })
  | (Omit<PullProgress, 'phase'> & { phase: 'failed' | 'cancelled'; message: string });

/**
 * The brain's downloads: one pull at a time (one file on the link and the disk finishes soonest), progress for
 * every host as events, and cancel that keeps the partial file for the next pull to resume.
 */
export class PullService {
  readonly events = new EventHub<PullEvent>();
  private running: { key: string; controller: AbortController; last: PullProgress | null } | null = null;

  constructor(private readonly deps: PullDeps & { models: () => readonly ModelEntry[] }) {}

  async pull(keyOrUri: string, options: { sha256?: string | null } = {}): Promise<PullResult> {
    if (this.running) {
      throw new PullError('busy', `${this.running.key} is being downloaded; wait for it or cancel it first`);
    }
    const target = resolvePullTarget(keyOrUri, this.deps.models(), options.sha256);
    const controller = new AbortController();
    const running: { key: string; controller: AbortController; last: PullProgress | null } = {
      key: target.key,
      controller,
      last: null,
    };
    this.running = running;
    try {
      return await pullModel(target, this.deps, {
        signal: controller.signal,
        onProgress: (progress) => {
          running.last = progress;
          this.events.emit({ ...progress, message: null });
        },
      });
    } catch (error) {
      const last = running.last;
      const phase = error instanceof PullError && error.code === 'cancelled' ? 'cancelled' : 'failed';
      this.events.emit({
        key: target.key,
        phase,
        receivedBytes: last?.receivedBytes ?? 0,
        totalBytes: last?.totalBytes ?? target.sizeBytes,
        bytesPerSecond: null,
        etaSeconds: null,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      this.running = null;
    }
  }

  /** Stops the running pull, keeping its partial file; false when none runs. */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.controller.abort(new Error('cancelled by request'));
    return true;
  }
}
