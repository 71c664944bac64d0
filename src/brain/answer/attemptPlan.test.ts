import { describe, expect, it } from 'vitest';
import { listing } from '../models/selectModel.fixtures';
import { sampleWith } from '../resources/testSamples';
import {
  afterFailure,
  degradedContextTokens,
  firstAttempt,
  maxAttemptsPerMessage,
  planAttempt,
  type AttemptInputs,
} from './attemptPlan';

const catalog = [
  listing('medium-model', { category: 'medium', ramGib: 3 }),
  listing('small-model', { category: 'small', ramGib: 1 }),
  listing('tiny-model', { category: 'small', ramGib: 0.5 }),
];

const inputs = (overrides: Partial<AttemptInputs> = {}): AttemptInputs => ({
  state: firstAttempt,
  catalog,
  sample: sampleWith(),
  tier: { name: 'mid_range', preferredCategories: ['medium', 'small'] },
  text: 'Once upon a time',
  history: [{ content: 'Once upon a time' }],
  pinnedKey: null,
  avoided: new Map(),
  fallbackChain: [],
  current: null,
  ...overrides,
});

describe('planAttempt', () => {
  it('first attempt: selection’s choice, with its working window', () => {
    expect(planAttempt(inputs())).toMatchObject({
      entry: { key: 'medium-model' },
      kind: 'selection',
      trigger: 'selection',
      contextLength: 4096,
    });
  });

  it('a model asked for by name comes before the pin, and the pin before selection', () => {
    expect(planAttempt(inputs({ pinnedKey: 'tiny-model' }))).toMatchObject({
      entry: { key: 'tiny-model' },
      reason: 'pinned to tiny-model',
    });
    expect(planAttempt(inputs({ pinnedKey: 'tiny-model', requestedKey: 'small-model' }))).toMatchObject({
      entry: { key: 'small-model' },
      reason: 'asked for small-model for this answer',
    });
  });

  it('after a failure: the failed model’s fallback chain, as a switch triggered by the failure', () => {
    const state = afterFailure(firstAttempt, 'medium-model', null);
    const plan = planAttempt(inputs({ state, fallbackChain: ['tiny-model', 'small-model'] }));
    expect(plan).toMatchObject({
      entry: { key: 'tiny-model' },
      kind: 'switch',
      trigger: 'failure',
      reason: 'fallback of medium-model: tiny-model',
    });
  });

  it('never tries again a model that failed on this message, even when pinned', () => {
    const state = afterFailure(firstAttempt, 'tiny-model', null);
    const plan = planAttempt(inputs({ state, pinnedKey: 'tiny-model' }));
    expect(plan?.entry.key).not.toBe('tiny-model');
    expect(plan).toMatchObject({ kind: 'switch', trigger: 'failure' });
  });

  it('nothing fits: the smallest, degraded, with a 1024-token window', () => {
    const plan = planAttempt(inputs({ sample: sampleWith({ memoryUsedPercent: 99 }) }));
    expect(plan).toMatchObject({ entry: { key: 'tiny-model' }, kind: 'degraded', trigger: 'degraded' });
    expect(plan?.contextLength).toBe(degradedContextTokens);
    expect(plan?.reason).toContain(`with a ${degradedContextTokens}-token window to save memory`);
  });

  it('stops after three attempts, and when no model is left', () => {
    let state = firstAttempt;
    for (let i = 0; i < maxAttemptsPerMessage; i += 1) state = afterFailure(state, `model-${i}`, null);
    expect(planAttempt(inputs({ state }))).toBeNull();
    expect(planAttempt(inputs({ catalog: [] }))).toBeNull();
  });
});

describe('afterFailure', () => {
  it('counts the attempt, remembers the model and an engine that went away', () => {
    const once = afterFailure(firstAttempt, 'a', 'lmstudio');
    const twice = afterFailure(once, 'b', null);
    expect(twice.attempt).toBe(2);
    expect([...twice.tried]).toEqual(['a', 'b']);
    expect(twice.failedKey).toBe('b');
    expect([...twice.lostBackends]).toEqual(['lmstudio']);
    // The state before is left as it was: each attempt reads its own.
    expect(firstAttempt.attempt).toBe(0);
    expect(firstAttempt.tried.size).toBe(0);
  });
});
