import { BackendError, type ModelBackend } from '../backends/ModelBackend';
import type { ActiveModel } from '../models/ModelManager';
import type { ConversationStore } from './ConversationStore';
import { contextRecordOf } from './contextRecord';
import { fitContext, type FitContextResult } from './fitContext';
import { TokenCountCache } from './tokenCountCache';

/** Short on purpose: the smallest models (stories260K) lose the thread under a long system prompt. */
export const defaultSystemPrompt = 'You are Mai, a friendly and helpful companion.';

/** Room left in the window for the answer; 512 tokens is a long paragraph, and the engines stop at the window. */
export const answerReserveTokens = 512;

/**
 * What a thinking model may spend reasoning before it answers, on top of the answer: 1024 tokens, a Qwen3 "think"
 * of a few paragraphs. Without its own budget the reasoning ate the answer's 512 and the stored answer was empty.
 */
export const reasoningReserveTokens = 1024;

/** The token budgets of one turn in a `windowTokens` window: each at most a quarter of it, so the prompt keeps half. */
export function turnBudgets(windowTokens: number, reasons: boolean): { answerTokens: number; reasoningTokens: number } {
  const quarter = Math.floor(windowTokens / 4);
  return {
    answerTokens: Math.min(answerReserveTokens, quarter),
    reasoningTokens: reasons ? Math.min(reasoningReserveTokens, quarter) : 0,
  };
}

export interface FittedTurn {
  backend: ModelBackend;
  fitted: FitContextResult;
  /** The answer's own token budget. */
  answerTokens: number;
  /** Tokens the model may reason for (0 for one that does not), reserved in the window beside the answer's. */
  reasoningTokens: number;
}

/**
 * Fits a conversation into a model's window with that model's own tokenizer and records the choice in the
 * conversation file. Runs before every turn and at every switch, so the file shows what each model would see.
 */
export class ConversationFitter {
  private readonly tokenCounts = new TokenCountCache();

  constructor(
    private readonly deps: { backends: readonly ModelBackend[]; store: ConversationStore; systemPrompt?: string },
  ) {}

  /** `reasons`: the model thinks before it answers (the `reasoning` capability), so its reasoning needs room too. */
  async fit(active: ActiveModel, conversationId: string, reasons = false): Promise<FittedTurn> {
    const backend = this.deps.backends.find((b) => b.id === active.backend);
    if (!backend) throw new BackendError('not_found', `no ${active.backend} backend`, active.backend);
    const { answerTokens, reasoningTokens } = turnBudgets(active.contextLength, reasons);
    // Both budgets are kept free in the window: reasoning fills the same context the answer does.
    const reservedTokens = answerTokens + reasoningTokens;
    const fitted = await fitContext({
      systemPrompt: this.deps.systemPrompt ?? defaultSystemPrompt,
      messages: this.deps.store.messages(conversationId),
      windowTokens: active.contextLength,
      reserveForAnswerTokens: reservedTokens,
      countTokens: (content) => backend.countTokens(active.identifier, content),
      cache: this.tokenCounts.forModel(active.key),
      condense: true,
    });
    this.deps.store.appendContext(
      conversationId,
      contextRecordOf(fitted, {
        model: { key: active.key, backend: active.backend },
        windowTokens: active.contextLength,
        reserveForAnswerTokens: reservedTokens,
      }),
    );
    return { backend, fitted, answerTokens, reasoningTokens };
  }
}
