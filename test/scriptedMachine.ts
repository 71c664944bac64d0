import type { Clock } from '../src/brain/clock';
import type { HostSampler, ResourceReadingWithoutGpus } from '../src/brain/resources/sampler';

const gib = 1024 ** 3;

/**
 * A machine whose memory follows a script, for driving pressure end to end: the real monitor samples it, the real
 * scaler reads the samples, the real models load. Each sample advances simulated time by one second, so a
 * "10-minute" timeline runs in as many samples as it has seconds. Only the machine's figures are scripted.
 */
export class ScriptedMachine implements HostSampler {
  private simulatedMs: number;
  memoryUsedPercent: number;
  readonly totalBytes: number;

  constructor(options: { startMs?: number; memoryUsedPercent?: number; totalBytes?: number } = {}) {
    this.simulatedMs = options.startMs ?? Date.UTC(2026, 10, 22, 9, 0, 0);
    this.memoryUsedPercent = options.memoryUsedPercent ?? 30;
    this.totalBytes = options.totalBytes ?? 16 * gib;
  }

  /** Simulated time, advanced one second per sample. */
  readonly clock: Clock = {
    nowMs: () => this.simulatedMs,
    monotonicMs: () => this.simulatedMs,
  };

  read(): ResourceReadingWithoutGpus {
    this.simulatedMs += 1000;
    const availableBytes = Math.round(this.totalBytes * (1 - this.memoryUsedPercent / 100));
    return {
      cpu: { percent: 10, cores: 4 },
      memory: {
        totalBytes: this.totalBytes,
        availableBytes,
        usedPercent: this.memoryUsedPercent,
        maiBytes: process.memoryUsage.rss(),
      },
      swap: { totalBytes: 0, usedBytes: 0 },
    };
  }

  close(): void {}
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs` of real time. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
