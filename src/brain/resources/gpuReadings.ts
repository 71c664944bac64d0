/**
 * The monitor's GPU side: when to read (every sample while a model uses the GPU, slowly otherwise), how long to
 * wait for a driver, and what to report when it did not read (the last figures, marked stale).
 */
import type { GpuSample } from '../../shared/contract';
import type { GpuSampler } from './sampler';

export interface GpuReadingsOptions {
  gpu: GpuSampler;
  /** The monitor's own interval: the pace while a model uses the GPU. */
  sampleIntervalMs: number;
  /** A read slower than this gives way to the last figures (a hung driver must not hold up CPU/RAM figures). */
  readTimeoutMs: number;
  /**
   * The pace while no model uses the GPU: 30 s. Runtime PM suspends an idle card only after an autosuspend delay
   * (amdgpu sets 5 s; NVIDIA's RTD3 waits for its own idle period), and any query restarts that wait, so reads at
   * 1 Hz keep a laptop's dGPU awake for good (+5-25 W). At 30 s the card has 25 s of every 30 to fall asleep, and
   * once it sleeps the samplers stop querying it at all; another program's VRAM use still shows within 30 s.
   */
  idleIntervalMs?: number;
  /** Whether a model Mai runs uses the GPU now; always by default (the 1 Hz pace). */
  inUse?: () => boolean;
  onError?: (error: unknown) => void;
}

export const defaultIdleGpuIntervalMs = 30_000;

function markedStale(gpus: readonly GpuSample[]): GpuSample[] {
  return gpus.map((gpu) => ({ ...gpu, stale: true }));
}

export class GpuReadings {
  private last: GpuSample[] = [];
  private lastReadAtMs = Number.NEGATIVE_INFINITY;
  private pacedMs: number | undefined;
  private readonly idleIntervalMs: number;

  constructor(private readonly options: GpuReadingsOptions) {
    this.idleIntervalMs = options.idleIntervalMs ?? defaultIdleGpuIntervalMs;
  }

  /** The figures for a sample taken at `monotonicMs`: read now, or the last ones (stale) while idle and not due. */
  async read(monotonicMs: number): Promise<GpuSample[]> {
    const inUse = this.options.inUse?.() ?? true;
    this.pace(inUse ? this.options.sampleIntervalMs : this.idleIntervalMs);
    if (!inUse && monotonicMs - this.lastReadAtMs < this.idleIntervalMs) return markedStale(this.last);
    this.lastReadAtMs = monotonicMs;
    const gpus = await this.readWithDeadline();
    this.last = gpus.map(({ stale: _stale, ...gpu }) => (gpu.asleep ? { ...gpu, stale: true } : gpu));
    return gpus;
  }

  /** After a sleep: the sampler finds its GPUs again, and the next sample reads them whatever the pace. */
  reprobe(): void {
    this.options.gpu.reprobe?.();
    this.lastReadAtMs = Number.NEGATIVE_INFINITY;
  }

  private pace(intervalMs: number): void {
    if (this.pacedMs === intervalMs) return;
    this.pacedMs = intervalMs;
    this.options.gpu.setPace?.(intervalMs);
  }

  private readWithDeadline(): Promise<GpuSample[]> {
    const lastKnown = markedStale(this.last);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(lastKnown), this.options.readTimeoutMs);
      timer.unref?.();
      const settle = (gpus: GpuSample[]) => {
        clearTimeout(timer);
        resolve(gpus);
      };
      Promise.resolve()
        .then(() => this.options.gpu.read())
        .then(settle, (error: unknown) => {
          this.options.onError?.(error);
          settle(lastKnown);
        });
    });
  }
}
