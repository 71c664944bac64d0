import { describe, expect, it } from 'vitest';
import { computeStats, toStopReason } from './generationStats';

describe('toStopReason', () => {
  it.each([
    ['eogToken', 10, undefined, 'eos'],
    ['stopGenerationTrigger', 10, 100, 'eos'],
    ['abort', 3, 100, 'cancelled'],
    ['maxTokens', 100, 100, 'maxTokens'],
    ['maxTokens', 37, 100, 'contextFull'],
    ['maxTokens', 37, undefined, 'contextFull'],
    ['customStopTrigger', 5, 100, 'other'],
    ['functionCalls', 5, 100, 'other'],
  ] as const)('maps %s after %i of %s tokens to %s', (engine, predicted, requested, expected) => {
    expect(toStopReason(engine, predicted, requested)).toBe(expected);
  });
});

describe('computeStats', () => {
  const outcome = { stopReason: 'eos', stopString: null, gpuLayers: 0 } as const;

  it('reports the decode rate after the first token and the wait before it', () => {
    const stats = computeStats(
      { startMs: 1000, firstTokenMs: 1200, endMs: 2200 },
      { predictedTokens: 51, promptTokens: 20 },
      outcome,
    );
    expect(stats).toEqual({
      tokensPerSecond: 50,
      timeToFirstTokenMs: 200,
      predictedTokens: 51,
      promptTokens: 20,
      stopReason: 'eos',
      totalTimeMs: 1200,
      stopString: null,
      gpuLayers: 0,
    });
  });

  it('has no rate without a second token and no first-token time without a token', () => {
    const one = computeStats(
      { startMs: 0, firstTokenMs: 5, endMs: 5 },
      { predictedTokens: 1, promptTokens: 3 },
      outcome,
    );
    expect(one.tokensPerSecond).toBeNull();
    const none = computeStats(
      { startMs: 0, firstTokenMs: null, endMs: 9 },
      { predictedTokens: 0, promptTokens: null },
      outcome,
    );
    expect(none).toMatchObject({ tokensPerSecond: null, timeToFirstTokenMs: null, totalTimeMs: 9 });
  });
});
