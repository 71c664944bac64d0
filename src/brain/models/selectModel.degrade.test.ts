import { describe, expect, it } from 'vitest';
import { sampleWith } from '../resources/testSamples';
import { keepCurrentMarginFraction, selectModel } from './selectModel';
import { gib, inputs, listing, rejectionOf } from './selectModel.fixtures';

describe('selectModel keeps the current model unless the gain is clear', () => {
  const lowEnd = { name: 'low_end', preferredCategories: ['small'] } as const;

  it('keeps the current one when the best alternative scores less than 10 % higher', () => {
    // Same category: only headroom differs. Leaving 2 GiB-current for 1 GiB-leaner frees 1 GiB more (of 16 GiB):
    // 1.25 points on ~57, about 2 %.
    const current = listing('stories260K', { ramGib: 2, loaded: true });
    const leaner = listing('leaner', { ramGib: 1 });
    const freedByCurrent = { ramBytes: 2 * gib, vramBytes: 0 };
    const result = selectModel(
      inputs({ catalog: [current, leaner], currentKey: 'stories260K', tier: lowEnd, freedByCurrent }),
    );
    expect(result.choice?.key).toBe('stories260K');
    expect(result.reason).toMatch(
      /^kept stories260K: the best alternative, leaner, scores only \d+ % higher \(\d+ vs \d+\); a switch needs 10 %$/,
    );
    expect(keepCurrentMarginFraction).toBe(0.1);
  });

  it('says so when the current model is simply the best', () => {
    const current = listing('current', { category: 'medium', ramGib: 3, loaded: true });
    const result = selectModel(inputs({ catalog: [current, listing('tiny')], currentKey: 'current' }));
    expect(result.choice?.key).toBe('current');
    expect(result.reason).toMatch(/^kept current \(medium, score \d+\): mid_range prefers medium models/);
  });

  it('switches when the gain is clear (a step up the tier)', () => {
    const current = listing('current', { ramGib: 1, loaded: true });
    const better = listing('better', { category: 'medium', ramGib: 3 });
    const result = selectModel(inputs({ catalog: [current, better], currentKey: 'current' }));
    expect(result.choice?.key).toBe('better');
    expect(result.reason).toMatch(/^switch from current: better scores \d+ % higher/);
  });

  it('leaves the current model when it no longer qualifies, saying why', () => {
    const current = listing('current', { category: 'medium', ramGib: 3, loaded: true });
    const avoid = new Map([['current', 'the scaler is switching down: memory above 80 % for 12 s']]);
    const result = selectModel(inputs({ catalog: [current, listing('tiny')], currentKey: 'current', avoid }));
    expect(result.choice?.key).toBe('tiny');
    expect(result.reason).toMatch(/^left current, which avoided: the scaler is switching down.*; chose tiny/);
  });
});

describe('selectModel degrades when nothing meets the whole request', () => {
  const visionRequest = { capabilities: ['vision' as const], tokensNeeded: 500, complexity: 'simple' as const };

  it('falls back to the smallest usable model by estimate when nothing fits memory', () => {
    const catalog = [listing('big', { ramGib: 9 }), listing('huge', { ramGib: 20 }), listing('mid', { ramGib: 7 })];
    const result = selectModel(inputs({ catalog }));
    expect(result.degraded).toBe(true);
    expect(result.choice?.key).toBe('mid');
    expect(result.reason).toMatch(
      /^nothing usable fits in memory now; fell back to mid, the smallest usable model \(7\.0 GiB\): needs 7\.0 GiB RAM/,
    );
    expect(rejectionOf(result, 'big')).toMatch(/needs 9\.0 GiB RAM/);
  });

  it('forgives a capability any chat model can attempt before anything else', () => {
    const catalog = [
      listing('chatty', { category: 'medium', ramGib: 3 }),
      listing('coder', { ramGib: 9, capabilities: ['chat', 'code'] }),
    ];
    const request = { capabilities: ['code' as const], tokensNeeded: 500, complexity: 'moderate' as const };
    const result = selectModel(inputs({ catalog, request }));
    expect(result.degraded).toBe(true);
    expect(result.choice?.key).toBe('chatty');
    expect(result.reason).toMatch(
      /^no model that fits meets the whole request, so Mai makes do with chatty: not listed for code\. chose chatty/,
    );
  });

  it('takes a short window (the conversation gets trimmed) before a model without vision', () => {
    const catalog = [
      listing('short-eyes', { contextWindow: 2048, capabilities: ['chat', 'vision'] }),
      listing('blind'),
    ];
    const result = selectModel(inputs({ catalog, request: { ...visionRequest, tokensNeeded: 6000 } }));
    expect(result.degraded).toBe(true);
    expect(result.choice?.key).toBe('short-eyes');
    expect(result.reason).toMatch(/short-eyes: its 2,048-token window is short of the 6,000 needed/);
  });

  it('answers the text without the image rather than load a model that does not fit', () => {
    const catalog = [listing('eyes', { ramGib: 9, capabilities: ['chat', 'vision'] }), listing('blind')];
    const result = selectModel(inputs({ catalog, request: visionRequest }));
    expect(result.degraded).toBe(true);
    expect(result.choice?.key).toBe('blind');
    expect(result.reason).toMatch(/makes do with blind: cannot do vision/);
  });

  it('never degrades to an avoided model while another is there, but uses it when it is all there is', () => {
    const avoid = new Map([['tiny', 'failed to load: out of memory']]);
    const catalog = [listing('tiny', { ramGib: 7 }), listing('bigger', { ramGib: 8 })];
    expect(selectModel(inputs({ catalog, avoid })).choice?.key).toBe('bigger');
    const alone = selectModel(inputs({ catalog: [listing('tiny', { ramGib: 7 })], avoid }));
    expect(alone.choice?.key).toBe('tiny');
    expect(alone.reason).toMatch(/avoided: failed to load: out of memory/);
  });

  it('chooses nothing only when nothing usable exists, naming each reason', () => {
    const catalog = [
      listing('broken', { usable: false, estimate: null, reason: 'not a GGUF file' }),
      listing('embedder', { capabilities: ['analysis'] }),
    ];
    const result = selectModel(inputs({ catalog }));
    expect(result).toMatchObject({ choice: null, degraded: true });
    expect(result.reason).toBe('no usable model among 2: broken (not a GGUF file); embedder (not a chat model)');
    expect(result.rejected.map((r) => r.key)).toEqual(['broken', 'embedder']);
    expect(selectModel(inputs({ catalog: [] })).reason).toMatch(/^no models found/);
  });

  it('degrades on a machine under pressure: 95 % used leaves nothing after the margin', () => {
    const sample = sampleWith({ memoryUsedPercent: 95 });
    const result = selectModel(inputs({ catalog: [listing('a', { ramGib: 0.5 }), listing('b')], sample }));
    expect(result).toMatchObject({ degraded: true, choice: { key: 'a' } });
    expect(result.reason).toMatch(/0 B is free after keeping 2\.4 GiB for the system/);
  });

  it('lists every other candidate as rejected, with a reason', () => {
    const catalog = [listing('a'), listing('b', { ramGib: 2 }), listing('c', { ramGib: 10 })];
    const result = selectModel(inputs({ catalog }));
    expect(result.choice?.key).toBe('a');
    expect(result.rejected.map((r) => r.key).sort()).toEqual(['b', 'c']);
    expect(result.rejected.every((r) => r.reason.length > 0)).toBe(true);
  });
});
