import type { LLMDynamicHandle, LLMRespondOpts, PredictionResult } from '@lmstudio/sdk';
import type { Logger } from '../../logger';
import { BackendError, type ChatMessage, type RespondOptions, type RespondResult } from '../ModelBackend';
import { AnswerCollector, requireAnswer } from './answerCollector';
import { toBackendError } from './sdkErrors';
import { toResponseStats, toStopReason } from './sdkMapping';
import { watchForStall, type StallTimings } from './stallWatch';

export interface RespondTimings extends StallTimings {
  /** After a cancel, how long to wait for LM Studio's own "userStopped" ending before ending locally. */
  cancelGraceMs: number;
}

type Outcome = { kind: 'finished'; result: PredictionResult } | { kind: 'endedLocally' };

/** The prediction options: the answer's budget plus reasoning's, since LM Studio counts both in maxPredictedTokens. */
function sdkOptionsFor(options: RespondOptions): LLMRespondOpts {
  const sdkOptions: LLMRespondOpts = {};
  const reasoning = options.maxReasoningTokens;
  if (options.maxTokens !== undefined) sdkOptions.maxTokens = options.maxTokens + (reasoning ?? 0);
  if (options.temperature !== undefined) sdkOptions.temperature = options.temperature;
  const fields: { key: string; value: unknown }[] = [];
  // The SDK has no seed option for predictions; the schematic key travels in the raw layer.
  if (options.seed !== undefined)
    fields.push({ key: 'llm.prediction.seed', value: { checked: true, value: options.seed } });
  // Newer LM Studio ends thinking at this budget (lmstudio-js #619); older ones drop the key they do not know, and the
  // raised maxTokens above still leaves the answer its own room.
  if (reasoning !== undefined) {
    fields.push({ key: 'llm.prediction.reasoning.budgetTokens', value: { checked: true, value: reasoning } });
  }
  if (fields.length > 0) sdkOptions.raw = { fields };
  return sdkOptions;
}

function stallError(identifier: string, collected: AnswerCollector, silentMs: number, override: boolean): BackendError {
  const seconds = silentMs / 1000;
  const where = collected.fragments === 0 ? 'before any text' : `after ${collected.allTokens} tokens`;
  // A deadline the caller chose is its own bound; only Mai's stall deadlines say LM Studio itself is frozen.
  if (override) {
    return new BackendError(
      'timeout',
      `LM Studio sent nothing for ${seconds} s (${where}) while ${identifier} answered.`,
      'lmstudio',
    );
  }
  return new BackendError(
    'stalled',
    `LM Studio stopped streaming ${identifier}'s answer: nothing for ${seconds} s ${where}. It looks frozen; ` +
      'Mai skips it until it answers again.',
    'lmstudio',
  );
}

/**
 * The prediction for these messages. One that ends with the assistant's message is a continuation (the answer another
 * model began): LM Studio's chat templates close every message they are given and open a new assistant turn after
 * the last, so respond() would start the answer over. Its own template renders the conversation up to the answer
 * instead (applyPromptTemplate: its model's template and BOS rules; BOS left out because complete() tokenizes with
 * it), the answer so far goes after it, and complete() feeds the whole verbatim: the model writes on from there.
 */
function predict(
  handle: LLMDynamicHandle,
  messages: ChatMessage[],
  options: LLMRespondOpts,
): PromiseLike<PredictionResult> {
  const history = messages.map(({ role, content }) => ({ role, content }));
  const last = history.at(-1);
  if (last?.role !== 'assistant') return handle.respond(history, options);
  return handle
    .applyPromptTemplate(history.slice(0, -1), { omitBosToken: true })
    .then((formatted) => handle.complete(formatted + last.content, options));
}

/**
 * One streamed answer through the SDK's `predict` channel, watched for stalls (silence, not length, bounds it). On
 * cancel, on a full answer and on a stall the SDK sends `{type:"cancel"}` but does not reject; it waits for LM
 * Studio's final `success`, so a local grace timer ends the answer if that never comes.
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
  const override = options.timeoutMs !== undefined;
  const stallTimings = override
    ? { firstFragmentTimeoutMs: options.timeoutMs ?? 0, fragmentStallTimeoutMs: options.timeoutMs ?? 0 }
    : timings;
  const answerCap = options.maxReasoningTokens !== undefined ? (options.maxTokens ?? null) : null;
  const collected = new AnswerCollector(answerCap);
  const watch = watchForStall(
    stallTimings,
    (silentMs) => stallError(identifier, collected, silentMs, override),
    () => sdkAbort.abort(),
  );
  let endLocally: (outcome: Outcome) => void = () => {};
  const localEnd = new Promise<Outcome>((resolve) => (endLocally = resolve));
  let graceTimer: NodeJS.Timeout | undefined;
  /** Asks LM Studio to stop and waits at most the grace period for it to confirm. */
  const stopEarly = () => {
    if (sdkAbort.signal.aborted) return;
    watch.clear();
    sdkAbort.abort();
    graceTimer = setTimeout(() => endLocally({ kind: 'endedLocally' }), timings.cancelGraceMs);
  };
  const onUserAbort = () => stopEarly();
  options.signal?.addEventListener('abort', onUserAbort, { once: true });

  const sdkOptions: LLMRespondOpts = {
    ...sdkOptionsFor(options),
    signal: sdkAbort.signal,
    onPromptProcessingProgress: () => watch.progress(),
    onPredictionFragment: (fragment) => {
      if (!sdkAbort.signal.aborted) watch.fragment();
      const text = collected.add(fragment);
      if (collected.capped) stopEarly();
      if (text === null) return;
      try {
        options.onFragment?.(text);
      } catch (error) {
        logger.warn('a fragment listener threw', { error: String(error) });
      }
    },
  };

  try {
    const finished = predict(handle, messages, sdkOptions).then((result): Outcome => ({ kind: 'finished', result }));
    const outcome = await Promise.race([finished, localEnd, watch.stalled]);
    const reportedTokens = outcome.kind === 'finished' ? (outcome.result.stats.predictedTokensCount ?? 0) : 0;
    if (collected.fragments === 0 && reportedTokens > 0) {
      // The SDK drops fragments its schema rejects and still resolves, with empty text: silent data loss (§9.8).
      throw new BackendError(
        'internal',
        `LM Studio generated ${reportedTokens} tokens with ${identifier} but sent no text Mai could read; ` +
          'its version may not match the SDK Mai uses (1.5.0).',
        'lmstudio',
      );
    }
    const unmeasured = { tokensPerSecond: null, timeToFirstTokenMs: null, promptTokens: null };
    const stats =
      outcome.kind === 'finished'
        ? toResponseStats(outcome.result.stats, collected.allTokens)
        : { ...unmeasured, predictedTokens: collected.allTokens, stopReason: toStopReason('userStopped') };
    // Stopped because the answer was full: that is its token limit, whatever LM Studio calls the stop.
    if (collected.capped) stats.stopReason = 'maxTokens';
    requireAnswer(collected, identifier, stats.stopReason);
    return { text: collected.answer, stats, ...(collected.reasoning === '' ? {} : { reasoning: collected.reasoning }) };
  } catch (error) {
    const named = toBackendError(error, `answer with ${identifier}`);
    if (named.code !== 'disconnected') throw named;
    const heard = collected.fragments === 0 ? 'before any text arrived' : `after ${collected.allTokens} tokens`;
    throw new BackendError('disconnected', `LM Studio went away in the middle of the answer (${heard}).`, 'lmstudio', {
      cause: error,
    });
  } finally {
    watch.clear();
    clearTimeout(graceTimer);
    options.signal?.removeEventListener('abort', onUserAbort);
  }
}
