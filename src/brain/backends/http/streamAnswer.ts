/**
 * One streamed answer over HTTP, whatever the engine's framing (Ollama's NDJSON, OpenAI's server-sent events):
 * bounded by silence, not by length (an answer may be long, a frozen engine is silent); cancelled through the
 * request itself, which both engines take as the end of the generation; an answer with no text is no answer.
 */
import { watchForStall, type StallTimings } from '../lmstudio/stallWatch';
import { BackendError, type RespondOptions, type RespondResult, type StopReason } from '../ModelBackend';
import { fetchFailure, send, type HttpRequest, type HttpTarget } from './httpCall';

/** What one unit of the stream (a line, an event) says; every field is optional. */
export interface StreamPiece {
  content?: string;
  reasoning?: string;
  /** The engine reports a failure mid-stream. */
  error?: string;
  /** The engine's own end of the stream. */
  done?: boolean;
  /** Figures the engine reports (at the end); later pieces overwrite earlier ones. */
  finish?: StopReason;
  promptTokens?: number;
  predictedTokens?: number;
  tokensPerSecond?: number;
}

export interface StreamAnswerRequest {
  target: HttpTarget;
  http: Omit<HttpRequest, 'timeoutMs' | 'signal'>;
  identifier: string;
  options: RespondOptions;
  timings: StallTimings;
  /** The answer's own budget when reasoning has one on top (a thinking model): past it the answer is full. */
  answerCapTokens: number | null;
  nowMs: () => number;
  /** The stream's units: lines (NDJSON) or events (SSE). */
  units: (body: ReadableStream<Uint8Array>) => AsyncIterable<string>;
  /** One unit into a piece; null for one that says nothing (a keep-alive comment, a blank line). */
  decode: (unit: string) => StreamPiece | null;
}

const endings: Record<StopReason, string> = {
  eos: 'it stopped by itself',
  maxTokens: 'it reached its token limit',
  contextFull: 'its window was full',
  cancelled: 'it was cancelled',
  error: 'the engine reported a failure',
  other: 'it stopped',
};

interface Collected {
  answer: string;
  reasoning: string;
  /** Both engines stream about one token a piece: the count until the engine's own figures arrive. */
  answerPieces: number;
  pieces: number;
  firstAnswerMs: number | null;
  figures: StreamPiece;
}

/** Takes one piece; true when the stream is over for Mai (the engine said done, or the answer is full). */
function take(piece: StreamPiece, into: Collected, request: StreamAnswerRequest): { over: boolean; full: boolean } {
  const { target, identifier } = request;
  if (piece.error !== undefined) {
    throw new BackendError(
      'internal',
      `${target.label} failed while ${identifier} answered: ${piece.error}`,
      target.engine,
    );
  }
  into.pieces += 1;
  if (piece.reasoning) into.reasoning += piece.reasoning;
  const cap = request.answerCapTokens;
  if (piece.content && (cap === null || into.answerPieces < cap)) {
    into.firstAnswerMs ??= request.nowMs();
    into.answer += piece.content;
    into.answerPieces += 1;
    request.options.onFragment?.(piece.content);
  }
  const { content: _c, reasoning: _r, done: _d, ...figures } = piece;
  Object.assign(into.figures, figures);
  if (piece.done) return { over: true, full: false };
  const full = cap !== null && into.answerPieces >= cap;
  return { over: full, full };
}

function resultOf(collected: Collected, stopReason: StopReason, startedMs: number, nowMs: number): RespondResult {
  const { figures } = collected;
  const predictedTokens = figures.predictedTokens ?? collected.pieces;
  const elapsedMs = nowMs - (collected.firstAnswerMs ?? startedMs);
  const tokensPerSecond = figures.tokensPerSecond ?? (elapsedMs > 0 ? (predictedTokens / elapsedMs) * 1000 : null);
  return {
    text: collected.answer,
    ...(collected.reasoning === '' ? {} : { reasoning: collected.reasoning }),
    stats: {
      tokensPerSecond,
      timeToFirstTokenMs: collected.firstAnswerMs === null ? null : collected.firstAnswerMs - startedMs,
      predictedTokens,
      promptTokens: figures.promptTokens ?? null,
      stopReason,
    },
  };
}

export async function streamAnswer(request: StreamAnswerRequest): Promise<RespondResult> {
  const { target, options, timings, identifier } = request;
  const startedMs = request.nowMs();
  const stop = new AbortController();
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
  const collected: Collected = {
    answer: '',
    reasoning: '',
    answerPieces: 0,
    pieces: 0,
    firstAnswerMs: null,
    figures: {},
  };
  const http: HttpRequest = {
    ...request.http,
    // The watch bounds the wait for the first piece; this only stops a request whose headers never come.
    timeoutMs: timings.firstFragmentTimeoutMs + timings.fragmentStallTimeoutMs,
    signal: options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal,
  };
  let over = false;
  let full = false;
  try {
    const { response, done } = await send(target, http);
    done();
    for await (const unit of request.units(response.body ?? new ReadableStream())) {
      watch.fragment();
      const piece = request.decode(unit);
      if (piece === null) continue;
      ({ over, full } = take(piece, collected, request));
      if (over) break;
    }
  } catch (error) {
    // The watch names the stall right after calling back, so by the time the aborted read lands it has settled.
    if (stallFired) throw await watch.stalled.catch((stalled: unknown) => stalled);
    if (!options.signal?.aborted)
      throw error instanceof BackendError ? error : fetchFailure(target, http, error, false);
  } finally {
    watch.clear();
  }
  const cancelled = options.signal?.aborted ?? false;
  if (!over && !cancelled) {
    throw new BackendError(
      'disconnected',
      `${target.label} ended the stream before ${identifier}'s answer was done`,
      target.engine,
    );
  }
  const stopReason: StopReason = cancelled ? 'cancelled' : full ? 'maxTokens' : (collected.figures.finish ?? 'eos');
  if (stopReason !== 'cancelled' && collected.answer.trim() === '') {
    const thought = collected.reasoning === '' ? '' : ' after thinking';
    throw new BackendError(
      'empty_answer',
      `${identifier} gave no answer${thought}: ${endings[stopReason]}.`,
      target.engine,
    );
  }
  return resultOf(collected, stopReason, startedMs, request.nowMs());
}
