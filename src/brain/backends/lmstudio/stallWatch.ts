import type { BackendError } from '../ModelBackend';

export interface StallTimings {
  /** Silence allowed before the first fragment; each prompt-progress report restarts it (prompt processing). */
  firstFragmentTimeoutMs: number;
  /** Silence allowed between fragments once the answer streams. */
  fragmentStallTimeoutMs: number;
}

/**
 * Watches a streamed answer for silence: the first deadline covers prompt processing (re-armed by each progress
 * report, so a long prompt is not a stall), the second the gaps between fragments. When either runs out, `stalled`
 * rejects with the error `describe` names (told whether any fragment had come) and `onStall` runs once.
 */
export interface StallWatch {
  /** Rejects when the stream falls silent for too long; never resolves. */
  readonly stalled: Promise<never>;
  /** A prompt-processing report: still working on the prompt. */
  progress(): void;
  /** A fragment arrived: from now on the between-fragments deadline applies. */
  fragment(): void;
  clear(): void;
}

export function watchForStall(
  timings: StallTimings,
  describe: (silentMs: number, fragmentsSeen: boolean) => BackendError,
  onStall: () => void,
): StallWatch {
  let timer: NodeJS.Timeout | undefined;
  let fragmentsSeen = false;
  let fail: (error: BackendError) => void = () => {};
  const stalled = new Promise<never>((_, reject) => (fail = reject));
  // Only a race listens; this keeps an unraced watch from becoming an unhandled rejection.
  stalled.catch(() => {});
  const arm = () => {
    clearTimeout(timer);
    const silentMs = fragmentsSeen ? timings.fragmentStallTimeoutMs : timings.firstFragmentTimeoutMs;
    timer = setTimeout(() => {
      onStall();
      fail(describe(silentMs, fragmentsSeen));
    }, silentMs);
    // A pending watch must not keep a CLI process alive on its own.
    timer.unref();
  };
  arm();
  return {
    stalled,
    progress: () => {
      if (!fragmentsSeen) arm();
    },
    fragment: () => {
      fragmentsSeen = true;
      arm();
    },
    clear: () => clearTimeout(timer),
  };
}
