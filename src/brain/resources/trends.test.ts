import { describe, expect, it } from 'vitest';
import { gpuWith, sampleWith } from './testSamples';
import { isTrendMetric, metricValue, trend } from './trends';

const gib = 1024 ** 3;

/** One sample a second for `seconds`, memory following `percentAt(t)`; now is the last sample's time. */
function series(seconds: number, percentAt: (seconds: number) => number) {
  return Array.from({ length: seconds }, (_, t) => sampleWith({ atMs: t * 1000, memoryUsedPercent: percentAt(t) }));
}

/** Deterministic noise in [-1, 1] (a fixed LCG), so a "noisy" test is the same on every run. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31) * 2 - 1;
  };
}

describe('trend', () => {
  it('finds a rising line: its slope, r2 = 1, and when it reaches the threshold', () => {
    // 40 % rising 0.1 %/s: at t = 59 s it is at 45.9 %, so 80 % is (80 - 45.9) / 0.1 = 341 s away.
    const samples = series(60, (t) => 40 + 0.1 * t);
    const result = trend(samples, 'memory.usedPercent', 60_000, 59_000, { threshold: 80 });
    expect(result.sampleCount).toBe(60);
    expect(result.slopePerSecond).toBeCloseTo(0.1, 10);
    expect(result.r2).toBeCloseTo(1, 10);
    expect(result.projectedMsToThreshold).toBeCloseTo(341_000, 3);
  });

  it('projects from now, not from the last sample, when time has passed since', () => {
    const samples = series(60, (t) => 40 + 0.1 * t);
    const later = trend(samples, 'memory.usedPercent', 120_000, 69_000, { threshold: 80 });
    expect(later.projectedMsToThreshold).toBeCloseTo(331_000, 3);
  });

  it('gives no projection for a flat line, and an exact fit', () => {
    const result = trend(
      series(30, () => 55),
      'memory.usedPercent',
      60_000,
      29_000,
      { threshold: 80 },
    );
    expect(result.slopePerSecond).toBe(0);
    expect(result.r2).toBe(1);
    expect(result.projectedMsToThreshold).toBeNull();
    expect(result.ewma).toBe(55);
  });

  it('gives no projection when the line heads away from the threshold, or is already past it', () => {
    const falling = series(30, (t) => 70 - 0.5 * t);
    expect(trend(falling, 'memory.usedPercent', 60_000, 29_000, { threshold: 80 }).projectedMsToThreshold).toBeNull();
    const pastAndRising = series(30, (t) => 85 + 0.1 * t);
    expect(
      trend(pastAndRising, 'memory.usedPercent', 60_000, 29_000, { threshold: 80 }).projectedMsToThreshold,
    ).toBeNull();
  });

  it('projects a falling line toward a lower threshold', () => {
    const falling = series(30, (t) => 70 - 0.5 * t); // 55.5 at t = 29
    const result = trend(falling, 'memory.usedPercent', 60_000, 29_000, { threshold: 50 });
    expect(result.projectedMsToThreshold).toBeCloseTo(11_000, 3);
  });

  it('reports a low r2 for noise around a level', () => {
    const next = noise(42);
    const result = trend(
      series(120, () => 50 + 10 * next()),
      'memory.usedPercent',
      300_000,
      119_000,
    );
    expect(result.r2).toBeLessThan(0.1);
    expect(Math.abs(result.slopePerSecond ?? 1)).toBeLessThan(0.1);
  });

  it('keeps a high r2 for a clear rise with a little noise', () => {
    const next = noise(7);
    const result = trend(
      series(120, (t) => 20 + 0.5 * t + next()),
      'memory.usedPercent',
      300_000,
      119_000,
    );
    expect(result.r2).toBeGreaterThan(0.95);
    expect(result.slopePerSecond).toBeCloseTo(0.5, 1);
  });

  it('uses only the window', () => {
    // Flat for 60 s, then rising 1 %/s for 20 s: a 20 s window sees only the rise.
    const samples = series(80, (t) => (t < 60 ? 30 : 30 + (t - 59)));
    const result = trend(samples, 'memory.usedPercent', 20_000, 79_000);
    expect(result.sampleCount).toBe(20);
    expect(result.slopePerSecond).toBeCloseTo(1, 10);
  });

  it('smooths with a time constant, so irregular intervals weigh by their length', () => {
    // From 0 to 100 in one step: after 30 s (= tau) the EWMA has covered 1 - 1/e of the way,
    // whether it got there in one 30 s gap or in thirty 1 s steps.
    const oneGap = [
      sampleWith({ atMs: 0, memoryUsedPercent: 0 }),
      sampleWith({ atMs: 30_000, memoryUsedPercent: 100 }),
    ];
    const steps = [
      sampleWith({ atMs: 0, memoryUsedPercent: 0 }),
      ...Array.from({ length: 30 }, (_, i) => sampleWith({ atMs: (i + 1) * 1000, memoryUsedPercent: 100 })),
    ];
    const expected = 100 * (1 - Math.exp(-1));
    expect(trend(oneGap, 'memory.usedPercent', 60_000, 30_000, { tauMs: 30_000 }).ewma).toBeCloseTo(expected, 8);
    expect(trend(steps, 'memory.usedPercent', 60_000, 30_000, { tauMs: 30_000 }).ewma).toBeCloseTo(expected, 8);
  });

  it('answers nulls for no samples and a single sample', () => {
    expect(trend([], 'cpu.percent', 60_000, 0)).toEqual({
      ewma: null,
      slopePerSecond: null,
      r2: null,
      projectedMsToThreshold: null,
      sampleCount: 0,
    });
    const one = trend([sampleWith({ cpuPercent: 33 })], 'cpu.percent', 60_000, 0, { threshold: 80 });
    expect(one).toMatchObject({ ewma: 33, slopePerSecond: null, projectedMsToThreshold: null, sampleCount: 1 });
  });

  it('follows a GPU by index, skipping samples where that GPU is absent', () => {
    const samples = [0, 1, 2, 3].map((t) =>
      sampleWith({ atMs: t * 1000, gpus: t === 2 ? [] : [gpuWith(1, (t + 1) * gib, 8 * gib)] }),
    );
    const result = trend(samples, 'gpu.1.vramUsedPercent', 60_000, 3000, { threshold: 100 });
    expect(result.sampleCount).toBe(3);
    expect(result.slopePerSecond).toBeCloseTo(12.5, 10); // one GiB of eight a second
    expect(result.projectedMsToThreshold).toBeCloseTo(4000, 6); // 50 % now, 50 points to go
    expect(trend(samples, 'gpu.0.vramUsedPercent', 60_000, 3000).sampleCount).toBe(0);
  });

  it('takes the sample times it is given (the monitor passes monotonic ones)', () => {
    const samples = series(10, (t) => t); // wall-clock times 0..9 s
    const monotonic = (_s: unknown, i: number) => 500 + i * 2000; // but really 2 s apart
    const result = trend(samples, 'memory.usedPercent', 60_000, 18_500, { timeOf: monotonic });
    expect(result.slopePerSecond).toBeCloseTo(0.5, 10);
  });
});

describe('metricValue and isTrendMetric', () => {
  it('reads each metric', () => {
    const sample = sampleWith({ cpuPercent: 12, memoryUsedPercent: 34, gpus: [gpuWith(0, 2 * gib, 8 * gib)] });
    expect(metricValue(sample, 'cpu.percent')).toBe(12);
    expect(metricValue(sample, 'memory.usedPercent')).toBe(34);
    expect(metricValue(sample, 'gpu.0.vramUsedPercent')).toBe(25);
    expect(metricValue(sample, 'swap.usedPercent')).toBeNull(); // no swap at all
    expect(metricValue(sampleWith({ gpus: [gpuWith(0, 0, 0)] }), 'gpu.0.vramUsedPercent')).toBeNull();
  });

  it('tells metric names from other strings', () => {
    expect(
      ['cpu.percent', 'memory.usedPercent', 'swap.usedPercent', 'gpu.12.vramUsedPercent'].every(isTrendMetric),
    ).toBe(true);
    expect(['gpu.x.vramUsedPercent', 'cpu', 'gpu.0.vramUsedPercentX'].some(isTrendMetric)).toBe(false);
  });
});
