import type { BackendId } from '../backends/ModelBackend';

/**
 * After an unload, memory comes back to the OS with a delay (allocator release, driver teardown). Loading the next
 * model at once would see the old figures and may refuse or overcommit, so wait until most of it is back.
 * Ollama's figures: poll every 250 ms until ≥ 75 % has returned or 5 s passed; typically 0.5-1.5 s.
 */
export const memoryRecoveryPollMs = 250;
export const memoryRecoveryTimeoutMs = 5000;
export const memoryRecoveryShare = 0.75;

/**
 * Below this, the wait cannot tell the model's memory from the machine's own movement: other processes moved
 * MemAvailable by -283 to +182 MiB during single switches in bench/switch, so a smaller expected return would make
 * the wait a coin toss that often runs the full 5 s.
 */
export const memoryRecoveryNoiseBytes = 256 * 1024 ** 2;

/**
 * Whether an unload is worth waiting for. Not for the embedded engine: it runs in Mai's process and its dispose has
 * released the memory when it returns (bench/switch: RSS down before the call resolved). Not for amounts within
 * the machine's noise. LM Studio's separate process and GPU drivers release later: those are waited for.
 */
export function shouldAwaitMemoryRecovery(backend: BackendId, expectedFreedBytes: number): boolean {
  return backend !== 'embedded' && expectedFreedBytes >= memoryRecoveryNoiseBytes;
}

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
