/**
 * One streamed answer from Ollama's `POST /api/chat`: NDJSON lines of message pieces, the last `done` with the
 * reason and the eval counts. Bounded by silence, not by length (an answer may be long, a frozen runner is silent);
 * cancelled through the request itself, which Ollama takes as the end of the generation.
 */
import { watchForStall, type StallTimings } from '../lmstudio/stallWatch';
import { BackendError, type RespondOptions, type RespondResult, type StopReason } from '../ModelBackend';
import { fetchFailure, send, type HttpRequest, type HttpTarget } from '../http/httpCall';
import { linesOf } from '../http/lines';
import { ChatLineSchema } from './ollamaWire';

export interface OllamaChatRequest {
  target: HttpTarget;
  /** The /api/chat body (model, messages, options, keep_alive); `stream` is set here. */
  body: Record<string, unknown>;
  identifier: string;
  options: RespondOptions;
  timings: StallTimings;
  /** The answer's own budget when reasoning has one on top (a thinking model): past it the answer is full. */
  answerCapTokens: number | null;
  nowMs: () => number;
}

interface Collected {
  answer: string;
  reasoning: string;
  answerChunks: number;
  chunks: number;
  firstAnswerMs: number | null;
  done: { reason: string | undefined; promptTokens: number | null; evalCount: number | null; evalNs: number | null };
}

const endings: Record<StopReason, string> = {
  eos: 'it stopped by itself',
  maxTokens: 'it reached its token limit',
  contextFull: 'its window was full',
  cancelled: 'it was cancelled',
  error: 'Ollama reported a failure',
  other: 'it stopped',
};

function stopReasonOf(reason: string | undefined): StopReason {
  if (reason === 'length') return 'maxTokens';
  return reason === 'stop' || reason === undefined ? 'eos' : 'other';
}

/**
 * One NDJSON line into the answer; throws for Ollama's `{"error": …}` line. 'done': Ollama's last line; 'full': the
 * answer reached its own budget (the rest would be cut anyway).
 */
function take(line: string, into: Collected, request: OllamaChatRequest): 'more' | 'done' | 'full' {
  if (line.trim() === '') return 'more';
  const { target, identifier } = request;
  const unreadable = () => new BackendError('internal', `${target.label} sent a line Mai cannot read`, target.engine);
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw unreadable();
  }
  const parsed = ChatLineSchema.safeParse(json);
  if (!parsed.success) throw unreadable();
  const value = parsed.data;
  if ('error' in value) {
    throw new BackendError(
      'internal',
      `${target.label} failed while ${identifier} answered: ${value.error}`,
      target.engine,
    );
  }
  into.chunks += 1;
  if (value.message?.thinking) into.reasoning += value.message.thinking;
  const piece = value.message?.content ?? '';
  const capped = request.answerCapTokens !== null && into.answerChunks >= request.answerCapTokens;
  if (piece !== '' && !capped) {
    into.firstAnswerMs ??= request.nowMs();
    into.answer += piece;
    // Ollama streams one token a line: the line count is the answer's token count until the final figures come.
    into.answerChunks += 1;
    request.options.onFragment?.(piece);
  }
  if (value.done) {
    into.done = {
      reason: value.done_reason,
      promptTokens: value.prompt_eval_count ?? null,
      evalCount: value.eval_count ?? null,
      evalNs: value.eval_duration ?? null,
    };
    return 'done';
  }
  return request.answerCapTokens !== null && into.answerChunks >= request.answerCapTokens ? 'full' : 'more';
}

export async function ollamaChat(request: OllamaChatRequest): Promise<RespondResult> {
  const { target, options, timings, identifier } = request;
  const startedMs = request.nowMs();
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let stallFired = false;
  const watch = watchForStall(
    timings,
    (silentMs, seen) =>
      new BackendError(
        'stalled',
        `${target.label} sent nothing for ${Math.round(silentMs / 1000)} s ${seen ? 'in the middle of' : 'before'} ${identifier}'s answer`,
        target.engine,
      ),
    () => {
      stallFired = true;
      stop.abort();
    },
  );
  // The watch names the stall right after calling back, so by the time the aborted read lands, this has settled.
  const stallError = () => watch.stalled.catch((error: unknown) => error);
  const collected: Collected = {
    answer: '',
    reasoning: '',
    answerChunks: 0,
    chunks: 0,
    firstAnswerMs: null,
    done: { reason: undefined, promptTokens: null, evalCount: null, evalNs: null },
  };
  const http: HttpRequest = {
    method: 'POST',
    path: '/api/chat',
    body: { ...request.body, stream: true },
    // Headers come with the first line; the watch bounds that wait, this only stops a request that never lands.
    timeoutMs: timings.firstFragmentTimeoutMs + timings.fragmentStallTimeoutMs,
    signal,
    operation: `answer with ${identifier}`,
  };
  let ended = false;
  let full = false;
  try {
    const { response, done } = await send(target, http);
    done();
    for await (const line of linesOf(response.body ?? new ReadableStream())) {
      watch.fragment();
      const taken = take(line, collected, request);
      if (taken === 'more') continue;
      ended = true;
      full = taken === 'full';
      break;
    }
  } catch (error) {
    if (stallFired) throw await stallError();
    if (!options.signal?.aborted)
      throw error instanceof BackendError ? error : fetchFailure(target, http, error, false);
  } finally {
    watch.clear();
  }
  const cancelled = options.signal?.aborted ?? false;
  if (!ended && !cancelled) {
    throw new BackendError(
      'disconnected',
      `${target.label} ended the stream before ${identifier}'s answer was done`,
      target.engine,
    );
  }
  const stopReason: StopReason = cancelled ? 'cancelled' : full ? 'maxTokens' : stopReasonOf(collected.done.reason);
  if (stopReason !== 'cancelled' && collected.answer.trim() === '') {
    const thought = collected.reasoning === '' ? '' : ' after thinking';
    throw new BackendError(
      'empty_answer',
      `${identifier} gave no answer${thought}: ${endings[stopReason]}.`,
      target.engine,
    );
  }
  const { evalCount, evalNs, promptTokens } = collected.done;
  const predictedTokens = evalCount ?? collected.chunks;
  const elapsedMs = request.nowMs() - (collected.firstAnswerMs ?? startedMs);
  const tokensPerSecond =
    evalCount && evalNs ? evalCount / (evalNs / 1e9) : elapsedMs > 0 ? (predictedTokens / elapsedMs) * 1000 : null;
  return {
    text: collected.answer,
    ...(collected.reasoning === '' ? {} : { reasoning: collected.reasoning }),
    stats: {
      tokensPerSecond,
      timeToFirstTokenMs: collected.firstAnswerMs === null ? null : collected.firstAnswerMs - startedMs,
      predictedTokens,
      promptTokens,
      stopReason,
    },
  };
}
