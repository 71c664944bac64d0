import { describe, expect, it } from 'vitest';
import type { ResponseStats } from '../backends/ModelBackend';
import { GenerationSpeeds } from './GenerationSpeeds';

function stats(tokensPerSecond: number | null, predictedTokens = 100): ResponseStats {
  return { tokensPerSecond, timeToFirstTokenMs: 5, predictedTokens, promptTokens: 10, stopReason: 'eos' };
}

describe('GenerationSpeeds', () => {
  it('sets the usual speed from the first answer and compares each later one once', () => {
    const speeds = new GenerationSpeeds();
    speeds.record('m', stats(100));
    expect(speeds.take('m')).toBeUndefined();
    speeds.record('m', stats(40));
    expect(speeds.take('m')).toEqual({ tokensPerSecond: 40, usualTokensPerSecond: 100 });
    expect(speeds.take('m')).toBeUndefined();
    speeds.record('m', stats(88));
    expect(speeds.take('m')).toEqual({ tokensPerSecond: 88, usualTokensPerSecond: 88 });
  });

  it('ignores answers too short or without a speed', () => {
    const speeds = new GenerationSpeeds();
    speeds.record('m', stats(100));
    speeds.record('m', stats(10, 3));
    speeds.record('m', stats(null));
    expect(speeds.take('m')).toBeUndefined();
  });
});
