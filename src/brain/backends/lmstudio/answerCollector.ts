import type { LLMPredictionFragment } from '@lmstudio/sdk';
import { BackendError, type StopReason } from '../ModelBackend';

/**
 * Sorts a prediction's fragments the way the SDK's own result does (§5.6): `<think>` tags are structural, the text
 * between them is reasoning, the rest is the answer. Only the answer reaches the person; reasoning is kept apart.
 * With `answerCapTokens`, answer text past the cap is dropped and `capped` says the answer is full: the answer keeps
 * its own budget when reasoning was given one on top (LM Studio counts both in one maxPredictedTokens).
 */
export class AnswerCollector {
  answer = '';
  reasoning = '';
  answerTokens = 0;
  reasoningTokens = 0;
  /** Every token streamed, tags and reasoning included: what LM Studio's own count covers. */
  allTokens = 0;
  fragments = 0;
  capped = false;

  constructor(private readonly answerCapTokens: number | null) {}

  /** The answer text this fragment adds (for streaming to the person), or null when it adds none. */
  add(fragment: LLMPredictionFragment): string | null {
    this.fragments += 1;
    this.allTokens += fragment.tokensCount;
    if (fragment.isStructural) return null;
    if (fragment.reasoningType === 'reasoning') {
      this.reasoning += fragment.content;
      this.reasoningTokens += fragment.tokensCount;
      return null;
    }
    if (fragment.reasoningType !== 'none' || this.capped) return null;
    this.answer += fragment.content;
    this.answerTokens += fragment.tokensCount;
    if (this.answerCapTokens !== null && this.answerTokens >= this.answerCapTokens) this.capped = true;
    return fragment.content;
  }
}

const endings: Record<StopReason, string> = {
  eos: 'it stopped by itself',
  maxTokens: 'it reached its token limit',
  contextFull: 'the context window was full',
  cancelled: 'it was cancelled',
  error: 'LM Studio reported a failure',
  other: 'it stopped',
};

/**
 * An answer with no text is no answer: a thinking model that spent its budget reasoning, or one that stopped at
 * once. Naming it an error lets Mai's per-message fallback ask the next model instead of storing nothing. A cancel
 * is the person's doing and keeps whatever was said, even nothing.
 */
export function requireAnswer(collected: AnswerCollector, identifier: string, stopReason: StopReason): void {
  if (stopReason === 'cancelled' || collected.answer.trim() !== '') return;
  const thought = collected.reasoningTokens > 0 ? ` after ${collected.reasoningTokens} tokens of reasoning` : '';
  throw new BackendError('empty_answer', `${identifier} gave no answer${thought}: ${endings[stopReason]}.`, 'lmstudio');
}
