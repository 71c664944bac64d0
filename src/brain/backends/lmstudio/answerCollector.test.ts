import type { LLMPredictionFragment } from '@lmstudio/sdk';
import { describe, expect, it } from 'vitest';
import { AnswerCollector, requireAnswer } from './answerCollector';

const piece = (
  content: string,
  reasoningType: LLMPredictionFragment['reasoningType'] = 'none',
): LLMPredictionFragment => ({
  content,
  tokensCount: 1,
  containsDrafted: false,
  reasoningType,
  isStructural: reasoningType === 'reasoningStartTag' || reasoningType === 'reasoningEndTag',
});

describe('AnswerCollector', () => {
  it('keeps reasoning apart from the answer and streams only the answer', () => {
    const collected = new AnswerCollector(null);
    const streamed = [
      piece('<think>', 'reasoningStartTag'),
      piece('Hmm', 'reasoning'),
      piece('</think>', 'reasoningEndTag'),
      piece('Hello'),
      piece(' there'),
    ].map((fragment) => collected.add(fragment));
    expect(streamed).toEqual([null, null, null, 'Hello', ' there']);
    expect(collected).toMatchObject({ answer: 'Hello there', reasoning: 'Hmm', answerTokens: 2, reasoningTokens: 1 });
    expect(collected.allTokens).toBe(5);
  });

  it('stops taking answer text at its own cap, whatever reasoning used', () => {
    const collected = new AnswerCollector(2);
    for (const content of ['a', 'b', 'c']) collected.add(piece(content));
    expect(collected.answer).toBe('ab');
    expect(collected.capped).toBe(true);
  });
});

describe('requireAnswer', () => {
  it('names an answer that is only reasoning as empty_answer', () => {
    const collected = new AnswerCollector(null);
    collected.add(piece('Let me think', 'reasoning'));
    collected.add(piece('  '));
    expect(() => requireAnswer(collected, 'qwen3-4b', 'maxTokens')).toThrow(
      expect.objectContaining({
        code: 'empty_answer',
        message: 'qwen3-4b gave no answer after 1 tokens of reasoning: it reached its token limit.',
      }),
    );
  });

  it('lets a cancelled answer be empty: the person stopped it', () => {
    expect(() => requireAnswer(new AnswerCollector(null), 'qwen3-4b', 'cancelled')).not.toThrow();
  });
});
