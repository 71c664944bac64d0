import { describe, expect, it } from 'vitest';
import type { ModelListing } from '../../shared/contract';
import { gpuWith, sampleWith } from '../resources/testSamples';
import type { Trend } from '../resources/trends';
import { selectModel, type SelectionInputs } from './selectModel';
import { gib, inputs, listing, rejectionOf } from './selectModel.fixtures';

/** A model that meets everything, so a filtered one is never the only choice (that would be a degrade). */
const fallback = listing('fallback', { ramGib: 0.5, capabilities: ['chat', 'code', 'vision', 'tools'] });

describe('selectModel filters', () => {
  it.each<[string, ModelListing, Partial<SelectionInputs>, RegExp]>([
    [
      'an unusable model, with its own reason',
      listing('broken', { usable: false, estimate: null, reason: 'truncated GGUF file' }),
      {},
      /^truncated GGUF file$/,
    ],
    ['a usable model without an estimate', listing('blind', { estimate: null }), {}, /no memory estimate/],
    [
      'a model that cannot chat (chat is implied)',
      listing('embedder', { capabilities: ['analysis'] }),
      {},
      /not a chat model/,
    ],
    [
      'an avoided model, with why',
      listing('flaky'),
      { avoid: new Map([['flaky', 'failed to load 20 s ago; retry in 40 s']]) },
      /avoided: failed to load 20 s ago; retry in 40 s/,
    ],
    [
      'a model missing a needed capability',
      listing('text-only'),
      { request: { capabilities: ['vision'], tokensNeeded: 100, complexity: 'simple' } },
      /cannot do vision/,
    ],
    [
      'a model not listed for code when code is needed',
      listing('prose'),
      { request: { capabilities: ['code'], tokensNeeded: 100, complexity: 'simple' } },
      /not listed for code/,
    ],
    [
      'a window shorter than the tokens needed',
      listing('short', { contextWindow: 2048 }),
      { request: { capabilities: [], tokensNeeded: 6000, complexity: 'simple' } },
      /2,048-token window is short of the 6,000 needed/,
    ],
    [
      'an unknown window, taken as the 4,096-token working default',
      listing('unknown', { contextWindow: null }),
      { request: { capabilities: [], tokensNeeded: 6000, complexity: 'simple' } },
      /4,096-token window \(unknown, assumed\)/,
    ],
    [
      'a model needing more RAM than is free after the margin',
      listing('big', { ramGib: 7 }),
      {},
      /needs 7\.0 GiB RAM; 5\.6 GiB is free after keeping 2\.4 GiB/,
    ],
    [
      'a model needing more VRAM than the GPU has free after its margin',
      listing('gpu-heavy', { ramGib: 1, vramGib: 7 }),
      { sample: sampleWith({ gpus: [gpuWith(0, 2 * gib)] }) },
      /needs 7\.0 GiB VRAM; 5\.0 GiB is free on Test GPU 0/,
    ],
    ['a model needing VRAM on a machine without a GPU', listing('gpu-only', { vramGib: 2 }), {}, /no GPU was found/],
  ])('rejects %s', (_name, candidate, overrides, reason) => {
    const result = selectModel(inputs({ catalog: [candidate, fallback], ...overrides }));
    expect(result.choice?.key).toBe('fallback');
    expect(result.degraded).toBe(false);
    expect(rejectionOf(result, candidate.key)).toMatch(reason);
  });

  it('counts what unloading the current model frees, so a switch that needs it fits', () => {
    const current = listing('current', { ramGib: 3, loaded: true });
    const bigger = listing('bigger', { ramGib: 7, category: 'medium' });
    const freed = { ramBytes: 3 * gib, vramBytes: 0 };
    const result = selectModel(inputs({ catalog: [current, bigger], currentKey: 'current', freedByCurrent: freed }));
    expect(result.choice?.key).toBe('bigger');
    expect(result.reason).toMatch(/^switch from current: bigger scores/);
    const without = selectModel(inputs({ catalog: [current, bigger], currentKey: 'current' }));
    expect(without.choice?.key).toBe('current');
    expect(rejectionOf(without, 'bigger')).toMatch(/needs 7\.0 GiB RAM/);
  });

  it('does not count the freed memory for the current model itself when it is not loaded', () => {
    const current = listing('current', { ramGib: 7 });
    const freed = { ramBytes: 3 * gib, vramBytes: 0 };
    const result = selectModel(inputs({ catalog: [current, fallback], currentKey: 'current', freedByCurrent: freed }));
    expect(result.choice?.key).toBe('fallback');
    expect(rejectionOf(result, 'current')).toMatch(/needs 7\.0 GiB RAM; 5\.6 GiB is free/);
  });

  it('treats a loaded model as fitting: its memory is already counted as used', () => {
    const loaded = listing('loaded', { ramGib: 7, category: 'medium', loaded: true });
    const result = selectModel(inputs({ catalog: [loaded, fallback] }));
    expect(result.choice?.key).toBe('loaded');
  });

  it('sets RAM aside for memory rising steadily, on the scaler terms (R² ≥ 0.8)', () => {
    // 0.2 %/s of 16 GiB over 60 s is 1.9 GiB: 5.6 GiB free becomes 3.7 GiB.
    const rising: Trend = { ewma: 50, slopePerSecond: 0.2, r2: 0.95, projectedMsToThreshold: 150_000, sampleCount: 60 };
    const model = listing('four', { ramGib: 4, category: 'medium' });
    const result = selectModel(inputs({ catalog: [model, fallback], memoryTrend: rising }));
    expect(result.choice?.key).toBe('fallback');
    expect(rejectionOf(result, 'four')).toMatch(/set aside for memory still rising/);
    const noisy = selectModel(inputs({ catalog: [model, fallback], memoryTrend: { ...rising, r2: 0.5 } }));
    expect(noisy.choice?.key).toBe('four');
  });
});

describe('selectModel scoring', () => {
  const small = listing('small-1b', { category: 'small', ramGib: 1 });
  const medium = listing('medium-4b', { category: 'medium', ramGib: 3 });
  const large = listing('large-14b', { category: 'large', ramGib: 5 });
  const highEnd = { name: 'high_end', preferredCategories: ['large', 'medium', 'small'] } as const;
  const request = (complexity: 'simple' | 'moderate' | 'complex') => ({
    capabilities: [],
    tokensNeeded: 500,
    complexity,
  });

  it.each<[string, SelectionInputs['tier'], 'simple' | 'moderate' | 'complex', string]>([
    [
      'mid_range prefers medium over small',
      { name: 'mid_range', preferredCategories: ['medium', 'small'] },
      'moderate',
      'medium-4b',
    ],
    [
      'low_end keeps to small even when medium fits',
      { name: 'low_end', preferredCategories: ['small'] },
      'complex',
      'small-1b',
    ],
    ['high_end prefers large for a complex message', highEnd, 'complex', 'large-14b'],
    ['a simple message never overturns the tier', highEnd, 'simple', 'large-14b'],
    [
      'a complex message overturns one step of the tier',
      { name: 'frugal', preferredCategories: ['small', 'medium'] },
      'complex',
      'medium-4b',
    ],
    [
      'the same tier keeps small for a simple message',
      { name: 'frugal', preferredCategories: ['small', 'medium'] },
      'simple',
      'small-1b',
    ],
  ])('%s', (_name, tier, complexity, expected) => {
    const result = selectModel(inputs({ catalog: [small, medium, large], tier, request: request(complexity) }));
    expect(result.choice?.key).toBe(expected);
    expect(result.degraded).toBe(false);
  });

  it('rewards capabilities a complex message leans on', () => {
    const thinker = listing('thinker', { category: 'medium', ramGib: 3, capabilities: ['chat', 'reasoning'] });
    const result = selectModel(inputs({ catalog: [medium, thinker], request: request('complex') }));
    expect(result.choice?.key).toBe('thinker');
    expect(result.reason).toMatch(/listed for reasoning/);
  });

  it('prefers more headroom between models of one category', () => {
    const lean = listing('lean', { category: 'medium', ramGib: 2 });
    const result = selectModel(inputs({ catalog: [medium, lean] }));
    expect(result.choice?.key).toBe('lean');
    expect(rejectionOf(result, 'medium-4b')).toMatch(/^scores \d+ against lean's \d+$/);
  });

  it('explains the choice for a person', () => {
    const result = selectModel(inputs({ catalog: [small, medium], request: request('complex') }));
    expect(result.reason).toMatch(
      /^chose medium-4b \(medium, score \d+\): mid_range prefers medium models; a complex message leans to larger models; leaves \d+ % of memory free beyond the margins; next best small-1b at \d+$/,
    );
  });

  it('breaks a tie by the smaller footprint, then by key', () => {
    const a = listing('b-model', { ramGib: 1 });
    const b = listing('a-model', { ramGib: 1 });
    expect(selectModel(inputs({ catalog: [a, b] })).choice?.key).toBe('a-model');
  });
});
