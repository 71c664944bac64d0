import type { ServerFaults } from './faults';

type Think = NonNullable<ServerFaults['think']>;

export interface ThinkingOutcome {
  /** Tokens spent on `<think>`, the reasoning and `</think>`: they count against maxPredictedTokens. */
  tokens: number;
  /** The prediction's token limit ran out while thinking: no answer may follow. */
  limitReached: boolean;
}

const fragment = (content: string, reasoningType: string, isStructural: boolean) => ({
  content,
  tokensCount: 1,
  containsDrafted: false,
  reasoningType,
  isStructural,
});

/**
 * What a Qwen3-style model streams before its answer, as LM Studio marks it (§5.6): the tags as structural
 * fragments, the thinking as reasoning. Neither test model thinks, so the thinking is scripted; the answer after it
 * is the real engine's. `budgetTokens` is `llm.prediction.reasoning.budgetTokens` (newer LM Studio ends the
 * thinking there); `maxTokens` is the whole prediction's limit, which reasoning shares with the answer.
 */
export function streamThinking(
  think: Think,
  limits: { maxTokens: number | null; budgetTokens: number | undefined },
  send: (fragment: object) => void,
): ThinkingOutcome {
  const budget = think.ignoreBudget ? undefined : limits.budgetTokens;
  const reasoningTokens = Math.min(think.tokens, budget ?? Infinity);
  let tokens = 0;
  const room = () => limits.maxTokens === null || tokens < limits.maxTokens;
  const emit = (piece: object) => {
    send(piece);
    tokens += 1;
  };
  emit(fragment('<think>', 'reasoningStartTag', true));
  for (let index = 0; index < reasoningTokens && room(); index += 1) {
    emit(fragment(index === 0 ? 'Let me think' : ' step', 'reasoning', false));
  }
  if (!room()) return { tokens, limitReached: true };
  emit(fragment('</think>', 'reasoningEndTag', true));
  return { tokens, limitReached: !room() };
}
