import type { LLMDynamicHandle, LLMPredictionFragment, LLMRespondOpts, PredictionResult } from '@lmstudio/sdk';
import type { Logger } from '../../logger';
import { BackendError, type ChatMessage, type RespondOptions, type RespondResult } from '../ModelBackend';
import { startDeadline } from './deadline';
import { toBackendError } from './sdkErrors';
import { toResponseStats } from './sdkMapping';

export interface RespondTimings {
  /** Longest silence allowed (no prompt progress, no fragment): an answer streaming steadily is not a hang. */
  idleTimeoutMs: number;
  /** After a cancel, how long to wait for LM Studio's own "userStopped" ending before ending locally. */
  cancelGraceMs: number;
}

type Outcome = { kind: 'finished'; result: PredictionResult } | { kind: 'cancelledLocally' };

/** Only answer text reaches the person: `<think>` tags and reasoning stay out of the chat. */
const isAnswerText = (fragment: LLMPredictionFragment) => !fragment.isStructural && fragment.reasoningType === 'none';

/**
 * One streamed answer through the SDK's `predict` channel, bounded by an idle timeout. On cancel the SDK sends
 * `{type:"cancel"}` but does not reject; it waits for LM Studio's final `success`, so a local grace timer ends the
 * answer if that never comes.
 */
export async function respondThroughSdk(
  handle: LLMDynamicHandle,
  identifier: string,
  messages: ChatMessage[],
  options: RespondOptions,
  timings: RespondTimings,
  logger: Logger,
): Promise<RespondResult> {
  if (options.signal?.aborted) {
    throw new BackendError('cancelled', `The answer from ${identifier} was cancelled before it started.`, 'lmstudio');
  }
  const sdkAbort = new AbortController();
  const operation = `answer with ${identifier}`;
  const deadline = startDeadline(options.timeoutMs ?? timings.idleTimeoutMs, operation, () => sdkAbort.abort());
  let streamedText = '';
  let streamedTokens = 0;
  let fragmentsHeard = 0;
  let endLocally: (outcome: Outcome) => void = () => {};
  const localEnd = new Promise<Outcome>((resolve) => (endLocally = resolve));
  let graceTimer: NodeJS.Timeout | undefined;
  const onUserAbort = () => {
    deadline.clear();
    sdkAbort.abort();
    graceTimer = setTimeout(() => endLocally({ kind: 'cancelledLocally' }), timings.cancelGraceMs);
  };
  options.signal?.addEventListener('abort', onUserAbort, { once: true });

  const sdkOptions: LLMRespondOpts = {
    signal: sdkAbort.signal,
    onPromptProcessingProgress: () => deadline.touch(),
    onPredictionFragment: (fragment) => {
      if (!sdkAbort.signal.aborted) deadline.touch();
      fragmentsHeard += 1;
      streamedTokens += fragment.tokensCount;
      if (!isAnswerText(fragment)) return;
      streamedText += fragment.content;
      try {
        options.onFragment?.(fragment.content);
      } catch (error) {
        logger.warn('a fragment listener threw', { error: String(error) });
      }
    },
  };
  if (options.maxTokens !== undefined) sdkOptions.maxTokens = options.maxTokens;
  if (options.temperature !== undefined) sdkOptions.temperature = options.temperature;
  // The SDK has no seed option for predictions; the schematic key travels in the raw layer.
  if (options.seed !== undefined) {
    sdkOptions.raw = { fields: [{ key: 'llm.prediction.seed', value: { checked: true, value: options.seed } }] };
  }

  try {
    const prediction = handle.respond(
      messages.map(({ role, content }) => ({ role, content })),
      sdkOptions,
    );
    const finished = prediction.then((result): Outcome => ({ kind: 'finished', result }));
    const outcome = await Promise.race([finished, localEnd, deadline.expired]);
    if (outcome.kind === 'cancelledLocally') {
      const stats = { tokensPerSecond: null, timeToFirstTokenMs: null, promptTokens: null };
      return { text: streamedText, stats: { ...stats, predictedTokens: streamedTokens, stopReason: 'cancelled' } };
    }
    const { result } = outcome;
    const reportedTokens = result.stats.predictedTokensCount ?? 0;
    if (fragmentsHeard === 0 && reportedTokens > 0) {
      // The SDK drops fragments its schema rejects and still resolves, with empty text: silent data loss (§9.8).
      throw new BackendError(
        'internal',
        `LM Studio generated ${reportedTokens} tokens with ${identifier} but sent no text Mai could read; ` +
          'its version may not match the SDK Mai uses (1.5.0).',
        'lmstudio',
      );
    }
    return { text: result.nonReasoningContent, stats: toResponseStats(result.stats, streamedTokens) };
  } catch (error) {
    const named = toBackendError(error, operation);
    if (named.code !== 'disconnected') throw named;
    const heard = streamedText === '' ? 'before any text arrived' : `after ${streamedTokens} tokens`;
    throw new BackendError('disconnected', `LM Studio went away in the middle of the answer (${heard}).`, 'lmstudio', {
      cause: error,
    });
  } finally {
    deadline.clear();
    clearTimeout(graceTimer);
    options.signal?.removeEventListener('abort', onUserAbort);
  }
}
