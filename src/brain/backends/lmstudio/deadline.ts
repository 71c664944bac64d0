import { BackendError } from '../ModelBackend';

/**
 * A timer that turns silence into a named error. The SDK never rejects a call whose reply it cannot parse (or that
 * never comes), so every call Mai makes through it races one of these.
 */
export interface Deadline {
  /** Rejects with BackendError('timeout') when the time runs out; never resolves. */
  readonly expired: Promise<never>;
  /** Restarts the clock: for work that shows signs of life (load progress, streamed fragments). */
  touch(): void;
  clear(): void;
}

/** `operation` is what Mai was doing, as a verb phrase: "list the downloaded models", "load stories260k". */
export function startDeadline(timeoutMs: number, operation: string, onExpire?: () => void): Deadline {
  let timer: NodeJS.Timeout | undefined;
  let fail: (error: BackendError) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // Only a race ever listens; this keeps an unraced deadline from becoming an unhandled rejection.
  expired.catch(() => {});
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      onExpire?.();
      fail(timeoutError(operation, timeoutMs));
    }, timeoutMs);
    // A pending deadline must not keep a CLI process alive on its own.
    timer.unref();
  };
  arm();
  return { expired, touch: arm, clear: () => clearTimeout(timer) };
}

export function timeoutError(operation: string, timeoutMs: number): BackendError {
  return new BackendError(
    'timeout',
    `LM Studio did not answer within ${timeoutMs} ms while Mai tried to ${operation}; it may be busy or stuck.`,
    'lmstudio',
  );
}

/**
 * `work` or a timeout, whichever settles first. A late rejection of `work` is swallowed here so it can never surface as
 * an unhandled rejection after the race is over.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  operation: string,
  onExpire?: () => void,
): Promise<T> {
  work.catch(() => {});
  const deadline = startDeadline(timeoutMs, operation, onExpire);
  try {
    return await Promise.race([work, deadline.expired]);
  } finally {
    deadline.clear();
  }
}
