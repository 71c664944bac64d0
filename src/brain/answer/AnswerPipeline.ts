/**
 * One message, answered: choose a model (attemptPlan) → activate it → fit the conversation to its window → stream
 * the answer. A model that fails is recorded and the next attempt falls back, up to maxAttemptsPerMessage.
 */
import type { Decision, ModelListing, ResourceSample } from '../../shared/contract';
import { BackendError, type BackendId, type ResponseStats } from '../backends/ModelBackend';
import type { ModelsConfig } from '../config';
import type { ConversationFitter } from '../conversation/ConversationFitter';
import type { CurrentConversation } from '../conversation/CurrentConversation';
import type { DecisionLog } from '../models/DecisionLog';
import type { GenerationSpeeds } from '../models/GenerationSpeeds';
import type { ModelActivator } from '../models/ModelActivator';
import type { ActiveModel, ModelManager } from '../models/ModelManager';
import { RequestError } from '../requests/RequestError';
import { afterFailure, firstAttempt, planAttempt, type AttemptState } from './attemptPlan';
import { startTurn, type Turn } from './turn';

export interface ChatOptions {
  signal?: AbortSignal;
  /** Each streamed piece of the answer. `restart` is called when a failed model's partial answer is abandoned. */
  onFragment?: (text: string) => void;
  onRestart?: (reason: string) => void;
}

export interface ChatResult {
  /** The answer, without the model's reasoning. */
  text: string;
  /** What a thinking model reasoned before it answered; kept apart from the answer. */
  reasoning?: string;
  model: { key: string; backend: BackendId };
  stats: ResponseStats;
  /** Decisions taken while answering (switches, fallbacks). */
  switches: Decision[];
  /** The stored answer's id, and the id of the user message it answers (a UI edits by these). */
  messageId: string;
  userMessageId: string;
}

export interface AnswerPipelineDeps {
  conversation: CurrentConversation;
  manager: ModelManager;
  activator: ModelActivator;
  fitter: ConversationFitter;
  decisions: DecisionLog;
  speeds: GenerationSpeeds;
  models: ModelsConfig;
  /** The catalog now, without the engines that went away during this message. */
  catalog: (lostBackends: ReadonlySet<BackendId>) => Promise<ModelListing[]>;
  sample: () => Promise<ResourceSample>;
  tier: () => { name: string; preferredCategories: readonly ModelListing['category'][] };
}

/** Failures of the engine itself rather than of one model: its other models would fail the same way. */
const backendLevelFailures = new Set(['disconnected', 'not_running', 'refused', 'stalled']);

export class AnswerPipeline {
  private answering = false;

  constructor(private readonly deps: AnswerPipelineDeps) {}

  /** An answer is being written; the scaler leaves the model alone meanwhile. */
  get busy(): boolean {
    return this.answering;
  }

  /** Answers one message; the user's message is on disk before anything else happens. */
  answer(text: string, options: ChatOptions = {}): Promise<ChatResult> {
    return this.answerTurn({ kind: 'send', text }, options);
  }

  /** Answers a turn (turn.ts): its messages are on disk, and what it replaces superseded, before a model is asked. */
  async answerTurn(turn: Turn, options: ChatOptions = {}): Promise<ChatResult> {
    const { conversation, manager } = this.deps;
    const requestedKey = turn.kind === 'regenerate' ? turn.modelKey : undefined;
    if (requestedKey !== undefined) await this.checkRequested(requestedKey);
    const conversationId = conversation.ensure();
    const question = startTurn(conversation.store, conversationId, turn);
    const text = question.content;
    const switches: Decision[] = [];
    let state: AttemptState = firstAttempt;
    let lastError: unknown = null;
    this.answering = true;
    try {
      for (;;) {
        const current = manager.current();
        const plan = planAttempt({
          state,
          catalog: await this.deps.catalog(state.lostBackends),
          sample: await this.deps.sample(),
          tier: this.deps.tier(),
          text,
          history: conversation.store.messages(conversationId),
          pinnedKey: manager.pinnedKey,
          ...(requestedKey === undefined ? {} : { requestedKey }),
          avoided: manager.avoided(),
          fallbackChain: this.deps.models.models.find((m) => m.key === state.failedKey)?.fallback ?? [],
          current,
        });
        if (!plan) break;
        try {
          const active = await this.deps.activator.activate(plan.entry, plan, switches);
          const reasons = plan.entry.capabilities.includes('reasoning');
          const answer = await this.respond(active, conversationId, reasons, options, switches);
          return { ...answer, userMessageId: question.id };
        } catch (error) {
          if (options.signal?.aborted) throw error;
          lastError = error;
          const message = error instanceof Error ? error.message : String(error);
          const lost = error instanceof BackendError && backendLevelFailures.has(error.code) ? error.backend : null;
          state = afterFailure(state, plan.entry.key, lost);
          manager.recordFailure(plan.entry.key, message);
          options.onRestart?.(message);
          switches.push(
            this.deps.decisions.record({
              kind: 'failure',
              from: plan.entry.key,
              to: null,
              trigger: 'failure',
              reason: `${plan.entry.key} failed: ${message}`,
              figures: { attempt: state.attempt },
            }),
          );
        }
      }
      throw noModelError(lastError);
    } finally {
      this.answering = false;
    }
  }

  /** A model asked for by name must be one Mai can use, or the answer it would replace is kept. */
  private async checkRequested(key: string): Promise<void> {
    const entry = (await this.deps.catalog(new Set())).find((m) => m.key === key);
    if (!entry) throw new RequestError('bad_request', `no model "${key}" (run mai models)`);
    if (!entry.usable) throw new RequestError('bad_request', `${key} cannot be used: ${entry.reason}`);
  }

  private async respond(
    active: ActiveModel,
    conversationId: string,
    reasons: boolean,
    options: ChatOptions,
    switches: Decision[],
  ): Promise<Omit<ChatResult, 'userMessageId'>> {
    const turn = await this.deps.fitter.fit(active, conversationId, reasons);
    const { backend, fitted } = turn;
    if (!fitted.fits) {
      // Not even the system prompt and the end of the message fit: a model with a larger window must answer.
      throw new BackendError(
        'does_not_fit',
        `the conversation does not fit ${active.key}: ${fitted.reason}`,
        active.backend,
      );
    }
    const result = await backend.respond(active.identifier, fitted.messages, {
      maxTokens: turn.answerTokens,
      // A model not known to think still gets room to, so one that does is never left with an empty answer.
      maxReasoningTokens: turn.reasoningTokens || turn.answerTokens,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onFragment ? { onFragment: options.onFragment } : {}),
    });
    this.deps.speeds.record(active.key, result.stats);
    const model = { key: active.key, backend: active.backend };
    const stored = this.deps.conversation.store.appendMessage(conversationId, {
      role: 'assistant',
      content: result.text,
      ...(result.reasoning ? { reasoning: result.reasoning } : {}),
      model,
      stats: result.stats,
    });
    return {
      text: result.text,
      ...(result.reasoning ? { reasoning: result.reasoning } : {}),
      model,
      stats: result.stats,
      switches,
      messageId: stored.id,
    };
  }
}

function noModelError(cause: unknown): BackendError {
  const detail = cause instanceof Error ? ` The last error: ${cause.message}` : '';
  return new BackendError(
    'no_model',
    `No model could answer: none is usable, or every one that fits failed.${detail} Run "mai models" to see what Mai found and why each does or does not fit.`,
    'embedded',
    { cause },
  );
}
