/**
 * One model answers, or continues the answer another began: the conversation fitted to its window, the answer so
 * far put in as the start of the assistant's turn, the stream watched (WatchedAttempt). The caller learns the
 * attempt before it runs, so after a failure it can still read what the model wrote.
 */
import type { AnswerSegment } from '../../shared/contract';
import { BackendError, type RespondResult, type ResponseStats } from '../backends/ModelBackend';
import type { Clock } from '../clock';
import type { ConversationFitter } from '../conversation/ConversationFitter';
import type { GenerationSpeeds } from '../models/GenerationSpeeds';
import type { ActiveModel } from '../models/ModelManager';
import { answerSoFar, continuedTurn } from './continuation';
import type { StruggleOptions } from './struggle';
import { WatchedAttempt } from './watchedAttempt';

export interface StepDeps {
  fitter: ConversationFitter;
  speeds: GenerationSpeeds;
  clock: Clock;
  struggle?: Partial<StruggleOptions>;
}

export interface StepRequest {
  active: ActiveModel;
  conversationId: string;
  /** The model thinks before it answers: its reasoning needs room too. */
  reasons: boolean;
  /** What earlier models wrote of this answer; empty for a fresh answer. */
  segments: readonly AnswerSegment[];
  signal?: AbortSignal;
  onFragment?: (text: string) => void;
  /** Told of the attempt before it runs. */
  onAttempt: (attempt: WatchedAttempt) => void;
}

/** A continuation that had nothing to add: the answer before it was whole. */
const nothingAdded: ResponseStats = {
  tokensPerSecond: null,
  timeToFirstTokenMs: null,
  predictedTokens: 0,
  promptTokens: null,
  stopReason: 'eos',
};

export async function answerStep(deps: StepDeps, request: StepRequest): Promise<RespondResult> {
  const { active } = request;
  const turn = await deps.fitter.fit(active, request.conversationId, request.reasons);
  const { backend, fitted } = turn;
  if (!fitted.fits) {
    // Not even the system prompt and the end of the message fit: a model with a larger window must answer.
    throw new BackendError(
      'does_not_fit',
      `the conversation does not fit ${active.key}: ${fitted.reason}`,
      active.backend,
    );
  }
  const written = answerSoFar(request.segments);
  const continued = await continuedTurn(fitted.messages, written, turn.answerTokens, (text) =>
    backend.countTokens(active.identifier, text),
  );
  const attempt = new WatchedAttempt({
    backend,
    identifier: active.identifier,
    messages: continued.messages,
    respond: {
      maxTokens: continued.maxTokens,
      // A model not known to think still gets room to, so one that does is never left with an empty answer.
      maxReasoningTokens: turn.reasoningTokens || turn.answerTokens,
    },
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onFragment ? { onFragment: request.onFragment } : {}),
    usualTokensPerSecond: deps.speeds.usual(active.key),
    clock: deps.clock,
    ...(deps.struggle ? { struggle: deps.struggle } : {}),
  });
  request.onAttempt(attempt);
  try {
    const result = await attempt.run();
    deps.speeds.record(active.key, result.stats);
    return result;
  } catch (error) {
    // Continuing an answer that was already whole, a model may end at once; that is its verdict, not a failure.
    if (written !== '' && error instanceof BackendError && error.code === 'empty_answer') {
      return { text: '', stats: nothingAdded };
    }
    throw error;
  }
}
