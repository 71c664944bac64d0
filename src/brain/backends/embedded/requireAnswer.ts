import { BackendError, type StopReason } from '../ModelBackend';
import type { EmbeddedResult } from './types';

const endings: Record<StopReason, string> = {
  eos: 'it stopped by itself',
  maxTokens: 'it reached its token limit',
  contextFull: 'the conversation left no room for one in its window',
  cancelled: 'it was cancelled',
  error: 'the engine failed',
  other: 'it stopped',
};

/**
 * An answer with no text is no answer (a thinking model that spent its budget on thought, a window with no room
 * left): naming it an error lets Mai's per-message fallback ask the next model instead of storing nothing. A cancel
 * is the person's doing and keeps whatever was said, even nothing.
 */
export function requireAnswer(identifier: string, result: EmbeddedResult): EmbeddedResult {
  const { stopReason } = result.stats;
  if (stopReason === 'cancelled' || result.text.trim() !== '') return result;
  const thought = result.reasoning === undefined ? '' : ' after thinking';
  throw new BackendError('empty_answer', `${identifier} gave no answer${thought}: ${endings[stopReason]}.`, 'embedded');
}
