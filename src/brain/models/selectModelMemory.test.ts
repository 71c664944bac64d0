import { describe, expect, it } from 'vitest';
import type { GpuSample } from '../../shared/contract';
import { gpuWith, sampleWith } from '../resources/testSamples';
import type { Trend } from '../resources/trends';
import { defaultFitMargins, fitsNow, type FitMargins } from './fit';
import { gib, listing } from './selectModel.fixtures';
import { memoryBudget, memoryCheck, trendReserveBytes } from './selectModelMemory';

/** Deterministic numbers in [0, 1) (a fixed LCG), so the table is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('memoryCheck', () => {
  it('gives fitsNow’s verdict and words on 2,000 random machines, models, freed memory and margins', () => {
    const next = random(2024);
    const tight: FitMargins = {
      ramMinBytes: 0.5 * gib,
      ramFraction: 0.05,
      vramMinBytes: 0.25 * gib,
      vramFraction: 0.02,
    };
    for (let i = 0; i < 2000; i += 1) {
      const gpus: GpuSample[] = Array.from({ length: Math.floor(next() * 3) }, (_, index) =>
        gpuWith(index, next() * 8 * gib, 8 * gib),
      );
      const sample = sampleWith({ totalBytes: (4 + next() * 60) * gib, memoryUsedPercent: next() * 100, gpus });
      const margins = next() > 0.5 ? defaultFitMargins : tight;
      const freed = { ramBytes: next() * 4 * gib, vramBytes: next() * 3 * gib };
      const rising: Trend | undefined =
        next() > 0.7
          ? { ewma: 50, slopePerSecond: next(), r2: 0.9, projectedMsToThreshold: null, sampleCount: 30 }
          : undefined;
      const isCurrent = next() > 0.8;
      const candidate = listing(isCurrent ? 'current' : 'other', {
        ramGib: next() * 16,
        vramGib: next() > 0.5 ? next() * 8 : 0,
      });
      const estimate = candidate.estimate ?? { ramBytes: 0, vramBytes: 0, contextLength: 1, method: 'size' as const };
      const budget = memoryBudget({ sample, margins, currentKey: 'current', freedByCurrent: freed }, rising);
      const reserveBytes = trendReserveBytes(rising, sample.memory.totalBytes);
      const counted = isCurrent ? { ramBytes: 0, vramBytes: 0 } : freed;
      const expected = fitsNow(
        { ...estimate, breakdown: { weights: 0, kvCache: 0, compute: 0, overhead: 0 } },
        sample,
        { ramBytes: counted.ramBytes - reserveBytes, vramBytes: counted.vramBytes },
        margins,
      );
      const { reason } = memoryCheck(candidate, estimate, budget);
      expect(reason === null, `case ${i}: ${expected.reason}`).toBe(expected.fits);
      if (reason !== null) expect(reason).toBe(expected.reason + budget.reserveText);
    }
  });

  it('takes a loaded model as fitting, and reports the room it leaves', () => {
    const sample = sampleWith({ totalBytes: 16 * gib, memoryUsedPercent: 90 });
    const budget = memoryBudget(
      { sample, margins: defaultFitMargins, currentKey: 'x', freedByCurrent: { ramBytes: 0, vramBytes: 0 } },
      undefined,
    );
    const loaded = listing('x', { ramGib: 12, loaded: true });
    const result = memoryCheck(
      loaded,
      loaded.estimate ?? { ramBytes: 0, vramBytes: 0, contextLength: 1, method: 'size' },
      budget,
    );
    expect(result.reason).toBeNull();
    // 1.6 GiB available - 2.4 GiB margin: already 0.8 GiB inside the margin.
    expect(result.headroomFraction).toBeCloseTo(-0.05, 5);
  });
});

describe('trendReserveBytes', () => {
  const steady: Trend = { ewma: 50, slopePerSecond: 0.1, r2: 0.9, projectedMsToThreshold: 10_000, sampleCount: 60 };
  it.each<[string, Trend | undefined, number]>([
    ['no trend', undefined, 0],
    ['a steady rise: slope × 60 s', steady, 0.06 * 16 * gib],
    ['a fall', { ...steady, slopePerSecond: -0.1 }, 0],
    ['a poor fit (R² 0.79)', { ...steady, r2: 0.79 }, 0],
    ['too few samples', { ...steady, sampleCount: 9 }, 0],
  ])('%s', (_name, trend, expected) => {
    expect(trendReserveBytes(trend, 16 * gib)).toBeCloseTo(expected, 0);
  });
});
