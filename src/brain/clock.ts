/** Time as the brain sees it: injected so policy and trends are testable with a scripted clock. */
export interface Clock {
  /** Wall-clock ms since the epoch, for timestamps people read. */
  nowMs(): number;
  /** Monotonic ms, for durations and trends (immune to wall-clock jumps). */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};
