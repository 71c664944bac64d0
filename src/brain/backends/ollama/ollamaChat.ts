/**
 * One streamed answer from Ollama's `POST /api/chat` (docs/api.md): NDJSON lines of message pieces, the last one
 * `done` with its reason and the eval counts, or `{"error": …}` when the runner fails mid-stream
 * (docs/api/errors.mdx).
 */
import type { StallTimings } from '../lmstudio/stallWatch';
import type { RespondOptions, RespondResult, StopReason } from '../ModelBackend';
import type { HttpTarget } from '../http/httpCall';
import { linesOf } from '../http/lines';
import { streamAnswer, type StreamPiece } from '../http/streamAnswer';
import { ChatLineSchema } from './ollamaWire';

export interface OllamaChatRequest {
  target: HttpTarget;
  /** The /api/chat body (model, messages, options, keep_alive); `stream` is set here. */
  body: Record<string, unknown>;
  identifier: string;
  options: RespondOptions;
  timings: StallTimings;
  answerCapTokens: number | null;
  nowMs: () => number;
}

function stopReasonOf(reason: string | undefined): StopReason {
  if (reason === 'length') return 'maxTokens';
  return reason === 'stop' || reason === undefined ? 'eos' : 'other';
}

/** One NDJSON line as a piece of the answer; a line Mai cannot read is reported as the engine's failure. */
export function decodeOllamaLine(line: string): StreamPiece | null {
  if (line.trim() === '') return null;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { error: 'a line that is not JSON' };
  }
  const parsed = ChatLineSchema.safeParse(json);
  if (!parsed.success) return { error: 'a line Mai cannot read' };
  const value = parsed.data;
  if ('error' in value) return { error: value.error };
  const piece: StreamPiece = {};
  if (value.message?.content) piece.content = value.message.content;
  if (value.message?.thinking) piece.reasoning = value.message.thinking;
  if (!value.done) return piece;
  piece.done = true;
  piece.finish = stopReasonOf(value.done_reason);
  if (value.prompt_eval_count !== undefined) piece.promptTokens = value.prompt_eval_count;
  if (value.eval_count !== undefined) piece.predictedTokens = value.eval_count;
  // Durations are nanoseconds; Ollama's own rate counts decoding only, not the prompt.
  if (value.eval_count && value.eval_duration) piece.tokensPerSecond = value.eval_count / (value.eval_duration / 1e9);
  return piece;
}

export function ollamaChat(request: OllamaChatRequest): Promise<RespondResult> {
  return streamAnswer({
    ...request,
    http: {
      method: 'POST',
      path: '/api/chat',
      body: { ...request.body, stream: true },
      operation: `answer with ${request.identifier}`,
    },
    units: linesOf,
    decode: decodeOllamaLine,
  });
}
