import type { ResourceSample } from '../../shared/contract';
import type { Clock } from '../clock';
import { GpuReadings } from './gpuReadings';
import { PowerReadings } from './power/PowerReadings';
import { RingBuffer } from './RingBuffer';
import type { GpuSampler, HostSampler, PowerSampler } from './sampler';
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
  /** Whether a model Mai runs uses the GPU now: when not, the GPU is read every 30 s (see gpuReadings.ts). */
  gpuInUse?: () => boolean;
  idleGpuIntervalMs?: number;
  /** Battery or mains, read every 30 s (see PowerReadings); samples carry no `power` without one. */
  power?: PowerSampler;
  powerIntervalMs?: number;
  /** The current model's memory and the process holding it, for the memory split; null: no model. */
  modelMemory?: () => ModelMemory | null;
  onError?: (error: unknown) => void;
}

export interface ModelMemory {
  bytes: number;
  /** `mai`: inside Mai's process (the embedded engine); `other`: another program's (LM Studio, Ollama). */
  in: 'mai' | 'other';
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
  private readonly gpu: GpuReadings;
  private readonly power: PowerReadings | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private sampling: Promise<ResourceSample> | undefined;
  /** Trends start here: after a sleep/resume the line before the gap says nothing about the machine after it. */
  private baselineMonotonicMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ResourceMonitorOptions) {
    this.sampleIntervalMs = options.sampleIntervalMs ?? 1000;
    const readTimeoutMs = options.gpuReadTimeoutMs ?? this.sampleIntervalMs;
    const onError = options.onError;
    this.gpu = new GpuReadings({
      gpu: options.gpu,
      sampleIntervalMs: this.sampleIntervalMs,
      readTimeoutMs,
      ...(options.gpuInUse ? { inUse: options.gpuInUse } : {}),
      ...(options.idleGpuIntervalMs === undefined ? {} : { idleIntervalMs: options.idleGpuIntervalMs }),
      ...(onError ? { onError } : {}),
    });
    this.power = options.power
      ? new PowerReadings({
          power: options.power,
          readTimeoutMs,
          ...(options.powerIntervalMs === undefined ? {} : { intervalMs: options.powerIntervalMs }),
          ...(onError ? { onError } : {}),
        })
      : undefined;
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
    const { clock } = this.options;
    const resumed = this.sleptSinceLastSample(clock.nowMs(), clock.monotonicMs());
    // After a sleep the GPU handles and the power state from before it say nothing of now: find and read afresh.
    if (resumed) this.gpu.reprobe();
    const host = this.options.host.read();
    const gpus = await this.gpu.read(clock.monotonicMs());
    const power = await this.power?.current(clock.monotonicMs(), resumed);
    const model = this.options.modelMemory?.();
    const memory = model ? { ...host.memory, modelBytes: model.bytes, modelIn: model.in } : host.memory;
    const sample: ResourceSample = { atMs: clock.nowMs(), ...host, memory, gpus, ...(power ? { power } : {}) };
    const monotonicMs = clock.monotonicMs();
    if (resumed) this.baselineMonotonicMs = monotonicMs;
    this.history.push({ sample, monotonicMs });
    for (const listener of this.listeners) {
      try {
        listener(sample);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    return sample;
  }

  /**
   * Linux's monotonic clock stops during suspend while the wall clock runs on; either gap far beyond the interval
   * (5 ticks, and at least 5 s so a busy event loop's late tick does not count) means the machine slept.
   */
  private sleptSinceLastSample(wallMs: number, monotonicMs: number): boolean {
    const previous = this.history.latest();
    if (!previous) return false;
    const gapLimitMs = Math.max(5000, 5 * this.sampleIntervalMs);
    return wallMs - previous.sample.atMs > gapLimitMs || monotonicMs - previous.monotonicMs > gapLimitMs;
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
    this.power?.close();
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
