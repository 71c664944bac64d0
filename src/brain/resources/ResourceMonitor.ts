import type { GpuSample, ResourceSample } from '../../shared/contract';
import type { Clock } from '../clock';
import { RingBuffer } from './RingBuffer';
import type { GpuSampler, HostSampler } from './sampler';
import { trend, type Trend, type TrendMetric } from './trends';

export interface ResourceMonitorOptions {
  host: HostSampler;
  gpu: GpuSampler;
  clock: Clock;
  /** 1 Hz by default: fast enough to catch a load's ramp, cheap enough to run all day. */
  sampleIntervalMs?: number;
  /** At least 5 minutes of history, the default trend window. */
  historyMs?: number;
  /**
   * A GPU read slower than this (a hung driver) gives way: the sample carries the last GPU figures instead.
   * One interval by default, so a stuck driver never delays the CPU/RAM figures past the next tick.
   */
  gpuReadTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

export type SampleListener = (sample: ResourceSample) => void;

interface Entry {
  sample: ResourceSample;
  /** The monotonic time of the sample: trends measure durations, which wall-clock jumps would bend. */
  monotonicMs: number;
}

/** The default trend window (DESIGN.md): long enough for a leak's slope, short enough to forget an old load. */
export const defaultTrendWindowMs = 5 * 60 * 1000;

/** Samples the machine on a timer, keeps a ring buffer of history and tells subscribers of each new sample. */
export class ResourceMonitor {
  readonly sampleIntervalMs: number;
  private readonly history: RingBuffer<Entry>;
  private readonly listeners = new Set<SampleListener>();
  private readonly gpuReadTimeoutMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private sampling: Promise<ResourceSample> | undefined;
  /** Trends start here: after a sleep/resume the line before the gap says nothing about the machine after it. */
  private baselineMonotonicMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ResourceMonitorOptions) {
    this.sampleIntervalMs = options.sampleIntervalMs ?? 1000;
    this.gpuReadTimeoutMs = options.gpuReadTimeoutMs ?? this.sampleIntervalMs;
    const historyMs = options.historyMs ?? 10 * 60 * 1000;
    this.history = new RingBuffer(Math.max(1, Math.ceil(historyMs / this.sampleIntervalMs)));
  }

  /** Takes one sample now, records it and notifies subscribers. Concurrent callers share one reading. */
  sampleNow(): Promise<ResourceSample> {
    this.sampling ??= this.takeSample().finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  private async takeSample(): Promise<ResourceSample> {
    const host = this.options.host.read();
    const gpus = await this.readGpus();
    const sample: ResourceSample = { atMs: this.options.clock.nowMs(), ...host, gpus };
    this.record({ sample, monotonicMs: this.options.clock.monotonicMs() });
    for (const listener of this.listeners) {
      try {
        listener(sample);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    return sample;
  }

  private readGpus(): Promise<GpuSample[]> {
    const lastKnown = this.history.latest()?.sample.gpus ?? [];
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(lastKnown), this.gpuReadTimeoutMs);
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

  private record(entry: Entry): void {
    const previous = this.history.latest();
    if (previous) {
      const wallGapMs = entry.sample.atMs - previous.sample.atMs;
      const monotonicGapMs = entry.monotonicMs - previous.monotonicMs;
      // Linux's monotonic clock stops during suspend while the wall clock runs on; either gap far beyond the
      // interval (5 ticks, and at least 5 s so a busy event loop's late tick does not count) means the machine slept.
      const gapLimitMs = Math.max(5000, 5 * this.sampleIntervalMs);
      if (wallGapMs > gapLimitMs || monotonicGapMs > gapLimitMs) this.baselineMonotonicMs = entry.monotonicMs;
    }
    this.history.push(entry);
  }

  async start(): Promise<void> {
    if (this.timer) return;
    await this.sampleNow();
    this.timer = setInterval(() => {
      this.sampleNow().catch((error: unknown) => this.options.onError?.(error));
    }, this.sampleIntervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.options.host.close();
    this.options.gpu.close();
  }

  /** The latest sample, or undefined before the first. */
  snapshot(): ResourceSample | undefined {
    return this.history.latest()?.sample;
  }

  /** Samples taken within the last windowMs, oldest first. */
  samplesWithin(windowMs: number): ResourceSample[] {
    const since = this.options.clock.nowMs() - windowMs;
    return this.history
      .toArray()
      .map((entry) => entry.sample)
      .filter((s) => s.atMs >= since);
  }

  /** A metric's trend over the last windowMs (on the monotonic clock, since the last sleep/resume). */
  trend(metric: TrendMetric, windowMs = defaultTrendWindowMs, threshold?: number): Trend {
    const entries = this.history.toArray().filter((entry) => entry.monotonicMs >= this.baselineMonotonicMs);
    const times = entries.map((entry) => entry.monotonicMs);
    return trend(
      entries.map((entry) => entry.sample),
      metric,
      windowMs,
      this.options.clock.monotonicMs(),
      { ...(threshold === undefined ? {} : { threshold }), timeOf: (_sample, index) => times[index] ?? Number.NaN },
    );
  }

  subscribe(listener: SampleListener): () => void {
    this.listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: SampleListener): void {
    this.listeners.delete(listener);
  }
}
