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

export interface FittedTurn {
  backend: ModelBackend;
  fitted: FitContextResult;
  reserveForAnswerTokens: number;
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

  async fit(active: ActiveModel, conversationId: string): Promise<FittedTurn> {
    const backend = this.deps.backends.find((b) => b.id === active.backend);
    if (!backend) throw new BackendError('not_found', `no ${active.backend} backend`, active.backend);
    const reserveForAnswerTokens = Math.min(answerReserveTokens, Math.floor(active.contextLength / 4));
    const fitted = await fitContext({
      systemPrompt: this.deps.systemPrompt ?? defaultSystemPrompt,
      messages: this.deps.store.messages(conversationId),
      windowTokens: active.contextLength,
      reserveForAnswerTokens,
      countTokens: (content) => backend.countTokens(active.identifier, content),
      cache: this.tokenCounts.forModel(active.key),
      condense: true,
    });
    this.deps.store.appendContext(
      conversationId,
      contextRecordOf(fitted, {
        model: { key: active.key, backend: active.backend },
        windowTokens: active.contextLength,
        reserveForAnswerTokens,
      }),
    );
    return { backend, fitted, reserveForAnswerTokens };
  }
}
