import type { FitContextResult } from './fitContext';
import type { ModelRef, NewContext } from './records';

/** The context record of one fitted turn: what fitContext chose, for `ConversationStore.appendContext`. Pure. */
export function contextRecordOf(
  fit: FitContextResult,
  target: { model: ModelRef; windowTokens: number; reserveForAnswerTokens: number },
): NewContext {
  return {
    model: target.model,
    keptMessageIds: fit.keptIds,
    droppedMessageIds: fit.droppedIds,
    ...(fit.condensedNote === undefined ? {} : { condensed: fit.condensedNote }),
    ...(fit.truncated === undefined ? {} : { truncatedMessageId: fit.truncated.messageId }),
    promptTokens: fit.promptTokens,
    windowTokens: target.windowTokens,
    reserveForAnswerTokens: target.reserveForAnswerTokens,
    fits: fit.fits,
    reason: fit.reason,
  };
}
