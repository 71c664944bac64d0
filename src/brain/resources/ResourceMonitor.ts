import type { ResourceSample } from '../../shared/contract';
import type { Clock } from '../clock';
import { RingBuffer } from './RingBuffer';
import type { GpuSampler, HostSampler } from './sampler';

export interface ResourceMonitorOptions {
  host: HostSampler;
  gpu: GpuSampler;
  clock: Clock;
  /** 1 Hz by default: fast enough to catch a load's ramp, cheap enough to run all day. */
  sampleIntervalMs?: number;
  /** At least 5 minutes of history, the default trend window. */
  historyMs?: number;
  onError?: (error: unknown) => void;
}

export type SampleListener = (sample: ResourceSample) => void;

/** Samples the machine on a timer, keeps a ring buffer of history and tells subscribers of each new sample. */
export class ResourceMonitor {
  readonly sampleIntervalMs: number;
  private readonly history: RingBuffer<ResourceSample>;
  private readonly listeners = new Set<SampleListener>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private sampling: Promise<ResourceSample> | undefined;

  constructor(private readonly options: ResourceMonitorOptions) {
    this.sampleIntervalMs = options.sampleIntervalMs ?? 1000;
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
    const gpus = await this.options.gpu.read();
    const sample: ResourceSample = { atMs: this.options.clock.nowMs(), ...host, gpus };
    this.history.push(sample);
    for (const listener of this.listeners) {
      try {
        listener(sample);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    return sample;
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
    return this.history.latest();
  }

  /** Samples taken within the last windowMs, oldest first. */
  samplesWithin(windowMs: number): ResourceSample[] {
    const since = this.options.clock.nowMs() - windowMs;
    return this.history.toArray().filter((s) => s.atMs >= since);
  }

  subscribe(listener: SampleListener): () => void {
    this.listeners.add(listener);
    return () => this.unsubscribe(listener);
  }

  unsubscribe(listener: SampleListener): void {
    this.listeners.delete(listener);
  }
}
