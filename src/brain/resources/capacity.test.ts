import { describe, expect, it } from 'vitest';
import { canLoadModel, defaultLoadMarginBytes, isSystemOverloaded } from './capacity';
import { sampleWith } from './testSamples';

const gib = 1024 ** 3;

describe('canLoadModel', () => {
  // 16 GiB at 75 % used: 4 GiB available.
  const sample = sampleWith({ totalBytes: 16 * gib, memoryUsedPercent: 75 });

  it('fits a model when available minus the margin covers it, the boundary included', () => {
    expect(canLoadModel(sample, 3 * gib)).toBe(true);
    expect(canLoadModel(sample, 4 * gib - defaultLoadMarginBytes)).toBe(true);
    expect(canLoadModel(sample, 4 * gib - defaultLoadMarginBytes + 1)).toBe(false);
  });

  it('takes a caller-given margin', () => {
    expect(canLoadModel(sample, 4 * gib, 0)).toBe(true);
    expect(canLoadModel(sample, 3 * gib, 2 * gib)).toBe(false);
  });

  it('says no before there is any sample', () => {
    expect(canLoadModel(undefined, 1)).toBe(false);
  });
});

describe('isSystemOverloaded', () => {
  it.each([
    [79, 79, false],
    [80, 10, true],
    [10, 80, true],
    [95, 95, true],
  ])('memory %s %%, cpu %s %% → %s with the 80/80 defaults', (memoryUsedPercent, cpuPercent, expected) => {
    expect(isSystemOverloaded(sampleWith({ memoryUsedPercent, cpuPercent }))).toBe(expected);
  });

  it('takes the tier’s thresholds', () => {
    const sample = sampleWith({ memoryUsedPercent: 70, cpuPercent: 20 });
    expect(isSystemOverloaded(sample, { memoryPercent: 65, cpuPercent: 90 })).toBe(true);
    expect(isSystemOverloaded(sample, { memoryPercent: 90, cpuPercent: 90 })).toBe(false);
  });

  it('is false before there is any sample', () => {
    expect(isSystemOverloaded(undefined)).toBe(false);
  });
});
