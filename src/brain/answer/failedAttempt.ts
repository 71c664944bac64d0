/**
 * After an attempt failed: the failure recorded (the model's backoff, a decision), and what the model wrote kept as
 * its segment for the next model to continue. With nothing written at all, the next model starts the answer
 * afresh, as it always did.
 */
import type { AnswerSegment, Decision } from '../../shared/contract';
import type { DecisionLog } from '../models/DecisionLog';
import type { ModelManager } from '../models/ModelManager';
import type { ChatOptions } from './AnswerPipeline';
import type { AttemptPlan } from './attemptPlan';
import { answerSoFar } from './continuation';
import { StruggledError } from './watchedAttempt';

export interface FailedAttempt {
  plan: AttemptPlan;
  error: unknown;
  /** What the model wrote that is worth keeping ('' for nothing). */
  kept: string;
  /** The number of the next attempt. */
  attempt: number;
}

export function recordFailedAttempt(
  deps: { manager: ModelManager; decisions: DecisionLog },
  failed: FailedAttempt,
  segments: AnswerSegment[],
  options: Pick<ChatOptions, 'onHandoff' | 'onRestart'>,
  switches: Decision[],
): void {
  const { plan, error, kept } = failed;
  const struggle = error instanceof StruggledError ? error.struggle : null;
  const message = error instanceof Error ? error.message : String(error);
  const key = plan.entry.key;
  deps.manager.recordFailure(key, message);
  const from = { key, backend: plan.entry.backend };
  if (kept !== '') {
    segments.push({ model: from, text: kept, endReason: struggle?.kind ?? 'failed', reason: message });
    options.onHandoff?.({ text: answerSoFar(segments), from, reason: message });
  } else if (segments.length === 0) {
    // Nothing to keep and nothing kept before: the answer starts over (a UI clears what it showed).
    options.onRestart?.(message);
  }
  const continues = kept === '' ? '' : '; the next model continues its answer';
  // An engine's message ends its sentence; the decision's reason goes on after it.
  const said = kept === '' ? message : message.replace(/\.$/, '');
  switches.push(
    deps.decisions.record({
      kind: 'failure',
      from: key,
      to: null,
      trigger: struggle?.kind === 'slow' ? 'slow_generation' : 'failure',
      reason: struggle ? `${key} stopped mid-answer: ${said}${continues}` : `${key} failed: ${said}${continues}`,
      figures: { attempt: failed.attempt, ...(kept === '' ? {} : { keptChars: kept.length }) },
    }),
  );
}
