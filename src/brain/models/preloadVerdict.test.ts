import { describe, expect, it } from 'vitest';
import type { ModelListing, ResourceSample } from '../../shared/contract';
import { preloadVerdict } from './preloadVerdict';

const gib = 1024 ** 3;
const thresholds = { memoryPercent: 80, cpuPercent: 80 };

function sample(usedPercent: number): ResourceSample {
  const totalBytes = 32 * gib;
  return {
    atMs: 0,
    cpu: { percent: 5, cores: 8 },
    memory: { totalBytes, availableBytes: totalBytes * (1 - usedPercent / 100), usedPercent, maiBytes: 0 },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus: [],
  };
}

function entry(ramBytes: number, overrides: Partial<ModelListing> = {}): ModelListing {
  return {
    key: 'm',
    displayName: 'm',
    backend: 'embedded',
    category: 'medium',
    sizeBytes: ramBytes,
    contextWindow: 8192,
    capabilities: ['chat'],
    estimate: { ramBytes, vramBytes: 0, contextLength: 4096, method: 'formula' },
    fits: true,
    reason: '',
    loaded: false,
    usable: true,
    ...overrides,
  };
}

describe('preloadVerdict', () => {
  it.each([
    // 32 GiB machine: the margin is max(2 GiB, 15 %) = 4.8 GiB; the threshold 80 % is 25.6 GiB used.
    [50, 4 * gib, true, /memory use would be 63 %/],
    [50, 9 * gib, true, /memory use would be 78 %/],
    [50, 10 * gib, false, /would reach 81 %, at or above this tier's 80 %/],
    [50, 12 * gib, false, /needs 12.0 GiB RAM; 11.2 GiB is free/],
    [70, 3 * gib, true, /memory use would be 79 %/],
    [60, 6.4 * gib, false, /would reach 80 %/],
  ])('at %d %% used, a model of %d bytes: preloading %s', (used, ramBytes, preloading, reason) => {
    const verdict = preloadVerdict('m', entry(ramBytes), sample(used), thresholds);
    expect(verdict.preloading).toBe(preloading);
    expect(verdict.reason).toMatch(reason);
  });

  it('names an unknown or unusable model', () => {
    expect(preloadVerdict('x', undefined, sample(10), thresholds).reason).toBe('no model "x"');
    const broken = entry(gib, { usable: false, estimate: null, reason: 'truncated file' });
    expect(preloadVerdict('m', broken, sample(10), thresholds).reason).toBe('m cannot be used: truncated file');
  });
});
