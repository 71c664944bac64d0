/**
 * After an unload, memory comes back to the OS with a delay (allocator release, driver teardown). Loading the next
 * model at once would see the old figures and may refuse or overcommit, so wait until most of it is back.
 * Ollama's figures: poll every 250 ms until ≥ 75 % has returned or 5 s passed; typically 0.5-1.5 s.
 */
export const memoryRecoveryPollMs = 250;
export const memoryRecoveryTimeoutMs = 5000;
export const memoryRecoveryShare = 0.75;

export interface MemoryRecoveryOptions {
  /** Available bytes now (a fresh sample each call). */
  readAvailableBytes: () => Promise<number>;
  baselineAvailableBytes: number;
  expectedFreedBytes: number;
  sleep?: (ms: number) => Promise<void>;
  nowMs: () => number;
  pollMs?: number;
  timeoutMs?: number;
}

/** Resolves with how long it waited and whether the memory came back; never throws, never waits past the timeout. */
export async function waitForMemoryRecovery(
  options: MemoryRecoveryOptions,
): Promise<{ waitedMs: number; recovered: boolean }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const startedMs = options.nowMs();
  const target = options.baselineAvailableBytes + memoryRecoveryShare * options.expectedFreedBytes;
  const timeoutMs = options.timeoutMs ?? memoryRecoveryTimeoutMs;
  for (;;) {
    if (options.expectedFreedBytes <= 0 || (await options.readAvailableBytes()) >= target) {
      return { waitedMs: options.nowMs() - startedMs, recovered: true };
    }
    if (options.nowMs() - startedMs >= timeoutMs) return { waitedMs: options.nowMs() - startedMs, recovered: false };
    await sleep(options.pollMs ?? memoryRecoveryPollMs);
  }
}
