import { describe, expect, it } from 'vitest';
import type { ModelCategory, ModelEntry } from '../config';
import { gpuWith, sampleWith } from '../resources/testSamples';
import { recommendDownloads, type RecommendInputs } from './recommend';

const gib = 1024 ** 3;
const gb = 1e9;

function downloadable(key: string, category: ModelCategory, fileGb: number, minGib: number): ModelEntry {
  return {
    key,
    displayName: key,
    category,
    minMemoryBytes: minGib * gib,
    minVramBytes: minGib * gib,
    contextWindowTokens: 131072,
    capabilities: ['chat'],
    fallback: [],
    download: { uri: `hf:o/${key}-GGUF/${key}-Q4_K_M.gguf`, sizeBytes: fileGb * gb, sha256: 'a'.repeat(64) },
  };
}

// Sizes and needs as the shipped models.yaml has them for Q4_K_M files of these parameter counts.
const models: ModelEntry[] = [
  downloadable('small-1b', 'small', 0.81, 1.5),
  downloadable('small-3b', 'small', 2.02, 3),
  downloadable('medium-8b', 'medium', 4.92, 5.5),
  downloadable('large-20b', 'large', 12.1, 12.5),
  { ...downloadable('no-download', 'small', 0.5, 1), download: null },
];

const lowEnd = { name: 'low_end', preferredCategories: ['small'] as ModelCategory[] };
const midRange = { name: 'mid_range', preferredCategories: ['medium', 'small'] as ModelCategory[] };
const highEnd = { name: 'high_end', preferredCategories: ['large', 'medium', 'small'] as ModelCategory[] };

const machines: Record<string, Pick<RecommendInputs, 'sample' | 'tier'>> = {
  // 4 GiB, 10 % used: 3.6 GiB available, 2 GiB kept for the system → 1.6 GiB for a model.
  'low_end 4 GiB, no GPU': { sample: sampleWith({ totalBytes: 4 * gib, memoryUsedPercent: 10 }), tier: lowEnd },
  // 8 GiB, 30 % used: 5.6 GiB available − 2 GiB → 3.6 GiB.
  'mid_range 8 GiB, no GPU': { sample: sampleWith({ totalBytes: 8 * gib, memoryUsedPercent: 30 }), tier: midRange },
  // 32 GiB, 40 % used, a 24 GiB GPU with 1 GiB in use: 21.1 GiB VRAM after its 1.9 GiB margin.
  'high_end 32 GiB + 24 GiB GPU': {
    sample: sampleWith({ totalBytes: 32 * gib, memoryUsedPercent: 40, gpus: [gpuWith(0, 1 * gib, 24 * gib)] }),
    tier: highEnd,
  },
  // 24 GiB with 2 cores (low_end by its cores), 20 % used: 19.2 GiB available − 3.6 GiB → 15.6 GiB.
  'low_end by cores, 24 GiB': { sample: sampleWith({ totalBytes: 24 * gib, memoryUsedPercent: 20 }), tier: lowEnd },
  // 16 GiB, 40 % used: 9.6 GiB available − 2.4 GiB (15 %) → 7.2 GiB; tier not yet known.
  'unknown tier, 16 GiB': { sample: sampleWith({ totalBytes: 16 * gib, memoryUsedPercent: 40 }), tier: null },
};

describe('recommendDownloads', () => {
  it.each([
    ['low_end 4 GiB, no GPU', ['small-1b'], ['small-3b', 'medium-8b', 'large-20b']],
    ['mid_range 8 GiB, no GPU', ['small-3b', 'small-1b'], ['medium-8b', 'large-20b']],
    ['high_end 32 GiB + 24 GiB GPU', ['large-20b', 'medium-8b', 'small-3b', 'small-1b'], []],
    ['low_end by cores, 24 GiB', ['small-3b', 'small-1b', 'medium-8b', 'large-20b'], []],
    ['unknown tier, 16 GiB', ['medium-8b', 'small-3b', 'small-1b'], ['large-20b']],
  ])('%s: fitting %j first, then %j', (machine, fitting, notFitting) => {
    const result = recommendDownloads({ models, presentKeys: new Set(), ...machines[machine]! });
    expect(result.map((r) => r.key)).toEqual([...fitting, ...notFitting]);
    expect(result.filter((r) => r.fits).map((r) => r.key)).toEqual(fitting);
  });

  it('leaves out models already on this machine and entries without a download', () => {
    const result = recommendDownloads({
      models,
      presentKeys: new Set(['small-1b']),
      ...machines['low_end 4 GiB, no GPU']!,
    });
    expect(result.map((r) => r.key)).not.toContain('small-1b');
    expect(result.map((r) => r.key)).not.toContain('no-download');
  });

  it('never asks less than the curated models.yaml figure, and says why a model does or does not fit', () => {
    const [first, second] = recommendDownloads({
      models,
      presentKeys: new Set(),
      ...machines['low_end 4 GiB, no GPU']!,
    });
    expect(first).toMatchObject({ key: 'small-1b', fits: true, preferred: true });
    expect(first?.estimate.ramBytes).toBeGreaterThanOrEqual(1.5 * gib);
    expect(first?.reason).toMatch(/^fits: needs 1\.5 GiB RAM; .* free; a small model, as a low_end machine prefers$/);
    expect(second).toMatchObject({ key: 'small-3b', fits: false });
    expect(second?.reason).toMatch(/^does not fit: needs 3\.0 GiB RAM; 1\.6 GiB is free after keeping 2\.0 GiB/);
  });

  it('puts a model on the GPU where the GPU holds it, and on the CPU where it does not', () => {
    // A 4 GiB GPU (3 GiB after its margin) beside 64 GiB of RAM at 50 % (22.4 GiB for a model).
    const small = { sample: sampleWith({ totalBytes: 64 * gib, gpus: [gpuWith(0, 0, 4 * gib)] }), tier: highEnd };
    const result = recommendDownloads({ models, presentKeys: new Set(), ...small });
    const byKey = new Map(result.map((r) => [r.key, r]));
    expect(byKey.get('small-1b')?.estimate.vramBytes).toBeGreaterThan(0);
    expect(byKey.get('medium-8b')?.estimate.vramBytes).toBe(0);
    expect(byKey.get('medium-8b')?.fits).toBe(true);
    expect(byKey.get('large-20b')?.reason).toMatch(/^fits: needs 1[2-9]\.\d GiB RAM/);
  });

  it('marks categories outside the tier’s preference', () => {
    const result = recommendDownloads({ models, presentKeys: new Set(), ...machines['low_end 4 GiB, no GPU']! });
    const medium = result.find((r) => r.key === 'medium-8b');
    expect(medium?.preferred).toBe(false);
    expect(medium?.reason).toMatch(/outside what a low_end machine prefers \(small\)$/);
  });
});
