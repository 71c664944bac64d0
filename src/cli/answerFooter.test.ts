import { describe, expect, it } from 'vitest';
import type { ChatResultView } from '../shared/contract';
import { answerFooter } from './answerFooter';

const stats: ChatResultView['stats'] = {
  tokensPerSecond: 912.4,
  timeToFirstTokenMs: 3,
  predictedTokens: 50,
  promptTokens: 10,
  stopReason: 'eos',
};
const embedded = { key: 'stories260K', backend: 'embedded' as const };

describe('answerFooter', () => {
  it('names the model, its engine and its speed', () => {
    expect(answerFooter({ model: embedded, stats })).toBe('— stories260K (embedded, 912 tokens/s)');
  });

  it('names every model of an answer handed on mid-way, in order', () => {
    const segments: ChatResultView['segments'] = [
      { model: { key: 'stories260k', backend: 'lmstudio' }, text: 'Once', endReason: 'failed', reason: 'gone' },
      { model: embedded, text: ' upon a time', endReason: 'eos' },
    ];
    expect(answerFooter({ model: embedded, stats, segments })).toBe(
      '— stories260k (lmstudio) → stories260K (embedded, 912 tokens/s)',
    );
  });
});
