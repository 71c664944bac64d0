import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import { BackendError, type BackendHealth } from '../ModelBackend';

export interface StallGateOptions {
  clock: Clock;
  logger: Logger;
  recheckInitialMs: number;
  recheckMaxMs: number;
  /** Whether LM Studio streams again (a short prediction on the model that stalled); never throws. */
  check: (identifier: string) => Promise<boolean>;
}

interface Tripped {
  error: BackendError;
  identifier: string;
  nextCheckAtMs: number;
  delayMs: number;
}

/**
 * Keeps a frozen LM Studio out of the way. After an answer stalls the gate is shut: every call fails at once with the
 * stall (instead of each message waiting out a deadline) and health() reports it. Health checks, due after a
 * growing wait, run in the background and open the gate again once LM Studio streams; a message never waits on one.
 */
export class StallGate {
  private tripped: Tripped | null = null;
  private checking: Promise<void> | null = null;

  constructor(private readonly options: StallGateOptions) {}

  /** Shuts the gate after `error` (a stall of `identifier`); a stall while shut waits longer before the next check. */
  trip(error: BackendError, identifier: string): void {
    const previous = this.tripped;
    const delayMs = previous
      ? Math.min(previous.delayMs * 2, this.options.recheckMaxMs)
      : this.options.recheckInitialMs;
    this.tripped = { error, identifier, delayMs, nextCheckAtMs: this.options.clock.monotonicMs() + delayMs };
    this.options.logger.warn('LM Studio stalled; skipping it until a health check passes', {
      identifier,
      reason: error.message,
      nextCheckInMs: delayMs,
    });
  }

  get isShut(): boolean {
    return this.tripped !== null;
  }

  /** The error to fail with while shut (the stall, said again), or null when open. */
  blocking(operation: string): BackendError | null {
    const tripped = this.tripped;
    if (!tripped) return null;
    return new BackendError(
      'stalled',
      `Mai skips LM Studio (asked to ${operation}) until it answers again: ${tripped.error.message}`,
      'lmstudio',
    );
  }

  /** Null when open; otherwise the health to report, starting a background check when one is due. */
  health(): BackendHealth | null {
    const tripped = this.tripped;
    if (!tripped) return null;
    const waitMs = tripped.nextCheckAtMs - this.options.clock.monotonicMs();
    if (waitMs <= 0) this.checking ??= this.recheck(tripped).finally(() => (this.checking = null));
    const next = this.checking ? 'checking now' : `next check in ${Math.ceil(waitMs / 1000)} s`;
    return { id: 'lmstudio', status: 'error', detail: `${tripped.error.message} (${next})` };
  }

  private async recheck(tripped: Tripped): Promise<void> {
    const streams = await this.options.check(tripped.identifier).catch(() => false);
    // A stall reported meanwhile has already shut the gate anew; this check is then out of date.
    if (this.tripped !== tripped) return;
    if (streams) {
      this.tripped = null;
      this.options.logger.info('LM Studio streams again; no longer skipped', { identifier: tripped.identifier });
      return;
    }
    this.trip(tripped.error, tripped.identifier);
  }
}
