/**
 * Models that just failed are avoided for a while: 10 s after the first failure, doubling with each further one up
 * to 5 min (LocalAI's schedule). Long enough not to hammer a broken file or a crashed server, short enough that a
 * passing problem (another app briefly holding VRAM) does not hide a good model for long.
 */
export const failureBackoffInitialMs = 10_000;
export const failureBackoffMaxMs = 5 * 60_000;

interface Failure {
  count: number;
  untilMs: number;
  reason: string;
}

export class FailureBackoff {
  private readonly failures = new Map<string, Failure>();

  recordFailure(key: string, reason: string, nowMs: number): number {
    const count = (this.failures.get(key)?.count ?? 0) + 1;
    const backoffMs = Math.min(failureBackoffMaxMs, failureBackoffInitialMs * 2 ** (count - 1));
    this.failures.set(key, { count, untilMs: nowMs + backoffMs, reason });
    return backoffMs;
  }

  /** A success clears the record: the next failure starts again at 10 s. */
  recordSuccess(key: string): void {
    this.failures.delete(key);
  }

  /** Keys to avoid now, each with why, for selectModel's `avoid`. */
  avoided(nowMs: number): Map<string, string> {
    const avoided = new Map<string, string>();
    for (const [key, failure] of this.failures) {
      if (failure.untilMs > nowMs) {
        const seconds = Math.ceil((failure.untilMs - nowMs) / 1000);
        avoided.set(key, `failed ${failure.count}× (${failure.reason}); avoided for ${seconds} s more`);
      }
    }
    return avoided;
  }
}
