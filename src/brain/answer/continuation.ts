/**
 * The turn a model is given to continue an answer another model began: the fitted conversation with the answer so
 * far as the start of the assistant's message (each engine continues a final assistant message rather than
 * answering anew: node-llama-cpp's chat history, LM Studio through its own prompt template and complete()), and
 * what is left of the answer's budget, counted with this model's tokenizer.
 */
import type { AnswerSegment } from '../../shared/contract';
import type { ChatMessage } from '../backends/ModelBackend';

/**
 * The fewest tokens a continuation is given: 64, a few sentences. The first model's tokens are counted again with
 * this model's tokenizer, which can make the part already written look as long as the whole budget; the answer
 * still gets room to reach an end rather than stopping at once.
 */
export const minContinuationTokens = 64;

export interface ContinuedTurn {
  messages: ChatMessage[];
  maxTokens: number;
  /** The answer so far in this model's tokens (0 when nothing was written yet). */
  writtenTokens: number;
}

/** The answer so far: every model's part, in order. Pure. */
export function answerSoFar(segments: readonly AnswerSegment[]): string {
  return segments.map((segment) => segment.text).join('');
}

export async function continuedTurn(
  fitted: readonly ChatMessage[],
  written: string,
  answerTokens: number,
  countTokens: (text: string) => Promise<number>,
): Promise<ContinuedTurn> {
  if (written === '') return { messages: [...fitted], maxTokens: answerTokens, writtenTokens: 0 };
  const writtenTokens = await countTokens(written);
  return {
    messages: [...fitted, { role: 'assistant', content: written }],
    // The fitter kept the answer's whole budget free; what is written already takes part of it.
    maxTokens: Math.max(minContinuationTokens, answerTokens - writtenTokens),
    writtenTokens,
  };
}
