/** The monitor's own logic, on scripted samplers and a scripted clock (its figures against the kernel: ResourceMonitor.machine.test.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GpuSample } from '../../shared/contract';
import type { Clock } from '../clock';
import { ResourceMonitor } from './ResourceMonitor';
import type { GpuSampler, HostSampler, ResourceReadingWithoutGpus } from './sampler';
import { gpuWith, sampleWith } from './testSamples';

const gib = 1024 ** 3;

class ScriptedClock implements Clock {
  wallMs = 1_700_000_000_000;
  monoMs = 1000;
  nowMs = () => this.wallMs;
  monotonicMs = () => this.monoMs;
  advance(ms: number, { asleep = false } = {}): void {
    this.wallMs += ms;
    // Linux's monotonic clock stands still while the machine sleeps.
    if (!asleep) this.monoMs += ms;
  }
}

/** Host figures from a script: memory used percent per call. */
function scriptedHost(memoryPercents: () => number): HostSampler & { closed: boolean } {
  return {
    closed: false,
    read(): ResourceReadingWithoutGpus {
      const {
        atMs: _atMs,
        gpus: _gpus,
        ...reading
      } = sampleWith({ memoryUsedPercent: memoryPercents(), totalBytes: 16 * gib });
      return reading;
    },
    close() {
      this.closed = true;
    },
  };
}

function gpuSampler(read: GpuSampler['read']): GpuSampler & { closed: boolean } {
  return {
    closed: false,
    read,
    close() {
      this.closed = true;
    },
  };
}

let monitor: ResourceMonitor | undefined;
afterEach(() => {
  monitor?.stop();
  monitor = undefined;
});

describe('ResourceMonitor', () => {
  it('records samples, keeps at most historyMs of them, and answers windows', async () => {
    const clock = new ScriptedClock();
    let percent = 0;
    monitor = new ResourceMonitor({
      host: scriptedHost(() => (percent += 1)),
      gpu: gpuSampler(() => []),
      clock,
      sampleIntervalMs: 1000,
      historyMs: 5000,
    });
    for (let i = 0; i < 8; i += 1) {
      await monitor.sampleNow();
      clock.advance(1000);
    }
    // Capacity 5: samples 4..8 remain, the ring having wrapped.
    expect(monitor.samplesWithin(60_000).map((s) => s.memory.usedPercent)).toEqual([4, 5, 6, 7, 8]);
    expect(monitor.samplesWithin(2500).map((s) => s.memory.usedPercent)).toEqual([7, 8]);
    expect(monitor.snapshot()?.memory.usedPercent).toBe(8);
  });

  it('tells subscribers of each sample until they unsubscribe, surviving a throwing one', async () => {
    const errors: unknown[] = [];
    monitor = new ResourceMonitor({
      host: scriptedHost(() => 50),
      gpu: gpuSampler(() => []),
      clock: new ScriptedClock(),
      onError: (error) => errors.push(error),
    });
    const seenByA: number[] = [];
    const seenByB: number[] = [];
    const unsubscribeA = monitor.subscribe((s) => seenByA.push(s.atMs));
    const listenerB = (s: { atMs: number }) => seenByB.push(s.atMs);
    monitor.subscribe(listenerB);
    monitor.subscribe(() => {
      throw new Error('a broken listener');
    });
    await monitor.sampleNow();
    unsubscribeA();
    await monitor.sampleNow();
    monitor.unsubscribe(listenerB);
    await monitor.sampleNow();
    expect(seenByA).toHaveLength(1);
    expect(seenByB).toHaveLength(2);
    expect(errors).toHaveLength(3);
  });

  it('shares one reading between concurrent callers', async () => {
    let reads = 0;
    monitor = new ResourceMonitor({
      host: scriptedHost(() => 50),
      gpu: gpuSampler(async () => {
        reads += 1;
        return [];
      }),
      clock: new ScriptedClock(),
    });
    const [a, b] = await Promise.all([monitor.sampleNow(), monitor.sampleNow()]);
    expect(a).toBe(b);
    expect(reads).toBe(1);
  });

  it('does not wait on a hung GPU read: the sample carries the last GPU figures, marked stale', async () => {
    let hang = false;
    const gpu = gpuWith(0, 2 * gib);
    monitor = new ResourceMonitor({
      host: scriptedHost(() => 50),
      gpu: gpuSampler(() => (hang ? new Promise<GpuSample[]>(() => {}) : [gpu])),
      clock: new ScriptedClock(),
      gpuReadTimeoutMs: 50,
    });
    expect((await monitor.sampleNow()).gpus).toEqual([gpu]);
    hang = true;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sample = monitor.sampleNow();
      // Only the read's deadline can end a read that never answers: without it this sample would never come.
      await vi.advanceTimersByTimeAsync(50);
      expect((await sample).gpus).toEqual([{ ...gpu, stale: true }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a failing GPU read into the last figures and an onError, not a failed sample', async () => {
    const errors: unknown[] = [];
    monitor = new ResourceMonitor({
      host: scriptedHost(() => 50),
      gpu: gpuSampler(() => {
        throw new Error('driver gone');
      }),
      clock: new ScriptedClock(),
      onError: (error) => errors.push(error),
    });
    expect((await monitor.sampleNow()).gpus).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('computes trends on the monotonic clock and starts them afresh after a sleep', async () => {
    const clock = new ScriptedClock();
    let percent = 40;
    monitor = new ResourceMonitor({ host: scriptedHost(() => percent), gpu: gpuSampler(() => []), clock });
    for (let i = 0; i < 30; i += 1) {
      await monitor.sampleNow();
      percent += 0.5;
      clock.advance(1000);
    }
    const rising = monitor.trend('memory.usedPercent', 60_000, 80);
    expect(rising.sampleCount).toBe(30);
    expect(rising.slopePerSecond).toBeCloseTo(0.5, 8);
    expect(rising.r2).toBeCloseTo(1, 8);
    // Last sample 54.5 % one second ago: 80 % is (80 - 55) / 0.5 = 50 s from now.
    expect(rising.projectedMsToThreshold).toBeCloseTo(50_000, 3);

    clock.advance(3_600_000, { asleep: true });
    percent = 60;
    await monitor.sampleNow();
    const afterSleep = monitor.trend('memory.usedPercent', 60_000, 80);
    expect(afterSleep.sampleCount).toBe(1);
    expect(afterSleep.slopePerSecond).toBeNull();
  });

  it('samples on its timer after start and closes both samplers on stop', async () => {
    const host = scriptedHost(() => 50);
    const gpu = gpuSampler(() => []);
    monitor = new ResourceMonitor({ host, gpu, clock: new ScriptedClock(), sampleIntervalMs: 20 });
    let count = 0;
    monitor.subscribe(() => (count += 1));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      await monitor.start();
      await vi.advanceTimersByTimeAsync(100);
      const running = count;
      expect(running).toBeGreaterThanOrEqual(5);
      monitor.stop();
      // Long after: a timer left running would have sampled again.
      await vi.advanceTimersByTimeAsync(10_000);
      expect(count).toBe(running);
      expect(host.closed && gpu.closed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads the GPU every sample while a model uses it, every idleGpuIntervalMs while none does', async () => {
    const clock = new ScriptedClock();
    let reads = 0;
    const paces: number[] = [];
    let inUse = false;
    const gpu = gpuWith(0, 2 * gib);
    monitor = new ResourceMonitor({
      host: scriptedHost(() => 50),
      gpu: {
        read: () => {
          reads += 1;
          return [gpu];
        },
        setPace: (ms) => paces.push(ms),
        close: () => undefined,
      },
      clock,
      sampleIntervalMs: 1000,
      gpuInUse: () => inUse,
      idleGpuIntervalMs: 30_000,
    });
    const samples = [];
    for (let second = 0; second < 65; second += 1) {
      samples.push(await monitor.sampleNow());
      clock.advance(1000);
    }
    // Idle: read at 0, 30 and 60 s; the samples between carry those figures, marked stale.
    expect(reads).toBe(3);
    expect(samples[1]?.gpus).toEqual([{ ...gpu, stale: true }]);
    expect(samples[30]?.gpus).toEqual([gpu]);
    inUse = true;
    for (let second = 0; second < 5; second += 1) {
      await monitor.sampleNow();
      clock.advance(1000);
    }
    expect(reads).toBe(8);
    // A source that polls by itself (nvidia-smi) is told each change of pace.
    expect(paces).toEqual([30_000, 1000]);
  });

  it('after a sleep finds the GPUs again and reads them and the power state at once', async () => {
    const clock = new ScriptedClock();
    let reprobes = 0;
    let powerReads = 0;
    monitor = new ResourceMonitor({
      host: scriptedHost(() => 50),
      gpu: { read: () => [], reprobe: () => (reprobes += 1), close: () => undefined },
      power: {
        read: () => {
          powerReads += 1;
          return { source: 'battery', batteryPercent: 80 - powerReads };
        },
        close: () => undefined,
      },
      clock,
      powerIntervalMs: 30_000,
    });
    for (let second = 0; second < 10; second += 1) {
      await monitor.sampleNow();
      clock.advance(1000);
    }
    expect([reprobes, powerReads]).toEqual([0, 1]);
    expect(monitor.snapshot()?.power).toEqual({ source: 'battery', batteryPercent: 79 });
    clock.advance(2 * 3_600_000, { asleep: true });
    await monitor.sampleNow();
    expect([reprobes, powerReads]).toEqual([1, 2]);
    expect(monitor.snapshot()?.power).toEqual({ source: 'battery', batteryPercent: 78 });
  });
});
