/**
 * One message, answered: choose a model (attemptPlan) → activate it → fit the conversation to its window → stream
 * the answer (answerStep). A model that fails is recorded and the next attempt falls back, up to
 * maxAttemptsPerMessage. A model that fails or struggles mid-answer hands what it wrote to the next one, which
 * continues it: the answer is then its segments, each with the model that wrote it.
 */
import type { AnswerSegment, Decision, ModelListing, ModelRef, ResourceSample } from '../../shared/contract';
import { BackendError, type BackendId, type ResponseStats } from '../backends/ModelBackend';
import { systemClock, type Clock } from '../clock';
import type { ModelsConfig } from '../config';
import type { ConversationFitter } from '../conversation/ConversationFitter';
import type { CurrentConversation } from '../conversation/CurrentConversation';
import type { DecisionLog } from '../models/DecisionLog';
import type { GenerationSpeeds } from '../models/GenerationSpeeds';
import type { ModelActivator } from '../models/ModelActivator';
import type { ModelManager } from '../models/ModelManager';
import { RequestError } from '../requests/RequestError';
import { answerStep } from './answerStep';
import { afterFailure, firstAttempt, planAttempt, type AttemptState } from './attemptPlan';
import { answerSoFar } from './continuation';
import type { StruggleOptions } from './struggle';
import { startTurn, type Turn } from './turn';
import { recordFailedAttempt } from './failedAttempt';
import type { WatchedAttempt } from './watchedAttempt';

export interface ChatOptions {
  signal?: AbortSignal;
  /** Each streamed piece of the answer. */
  onFragment?: (text: string) => void;
  /** A model failed before it wrote anything; the next one answers from the start. */
  onRestart?: (reason: string) => void;
  /** A model stopped mid-answer and the next continues: `text` is the answer so far, as kept. */
  onHandoff?: (handoff: { text: string; from: ModelRef; reason: string }) => void;
}

export interface ChatResult {
  /** The answer, without the model's reasoning. */
  text: string;
  /** What a thinking model reasoned before it answered; kept apart from the answer. */
  reasoning?: string;
  /** The model that finished the answer. */
  model: { key: string; backend: BackendId };
  stats: ResponseStats;
  /** Each model's part of the answer, in order; `text` is their concatenation. */
  segments: AnswerSegment[];
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
  clock?: Clock;
  /** When a model counts as struggling mid-answer (struggle.ts); the defaults there by default. */
  struggle?: Partial<StruggleOptions>;
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
    const segments: AnswerSegment[] = [];
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
        const seen: { attempt?: WatchedAttempt } = {};
        try {
          const active = await this.deps.activator.activate(plan.entry, plan, switches);
          const result = await answerStep(
            { ...this.deps, clock: this.deps.clock ?? systemClock },
            {
              active,
              conversationId,
              reasons: plan.entry.capabilities.includes('reasoning'),
              segments,
              ...(options.signal ? { signal: options.signal } : {}),
              ...(options.onFragment ? { onFragment: options.onFragment } : {}),
              onAttempt: (attempt) => (seen.attempt = attempt),
            },
          );
          const model = { key: active.key, backend: active.backend };
          segments.push({ model, text: result.text, endReason: result.stats.stopReason });
          return this.store(conversationId, { ...result, text: answerSoFar(segments) }, model, segments, {
            switches,
            userMessageId: question.id,
          });
        } catch (error) {
          if (options.signal?.aborted) throw error;
          lastError = error;
          const lost = error instanceof BackendError && backendLevelFailures.has(error.code) ? error.backend : null;
          state = afterFailure(state, plan.entry.key, lost);
          const kept = seen.attempt?.kept ?? '';
          recordFailedAttempt(this.deps, { plan, error, kept, attempt: state.attempt }, segments, options, switches);
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

  /** The answer on disk: the whole text, and its segments when more than one model wrote it. */
  private store(
    conversationId: string,
    result: { text: string; reasoning?: string; stats: ResponseStats },
    model: ModelRef,
    segments: AnswerSegment[],
    rest: { switches: Decision[]; userMessageId: string },
  ): ChatResult {
    const reasoning = result.reasoning ? { reasoning: result.reasoning } : {};
    const stored = this.deps.conversation.store.appendMessage(conversationId, {
      role: 'assistant',
      content: result.text,
      ...reasoning,
      model,
      stats: result.stats,
      ...(segments.length > 1 ? { segments } : {}),
    });
    return { text: result.text, ...reasoning, model, stats: result.stats, segments, messageId: stored.id, ...rest };
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
