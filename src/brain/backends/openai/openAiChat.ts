/**
 * One streamed answer from `POST /v1/chat/completions` with `stream: true`: server-sent events of
 * `chat.completion.chunk` objects, the finish reason on the last content chunk, `usage` after it (asked for with
 * `stream_options.include_usage`), then `data: [DONE]`.
 */
import type { StallTimings } from '../lmstudio/stallWatch';
import type { RespondOptions, RespondResult, StopReason } from '../ModelBackend';
import type { HttpTarget } from '../http/httpCall';
import { sseData } from '../http/sse';
import { streamAnswer, type StreamPiece } from '../http/streamAnswer';
import { ChunkSchema, StreamErrorSchema } from './openAiWire';

export interface OpenAiChatRequest {
  target: HttpTarget;
  /** The request body (model, messages, max_tokens…); streaming is asked for here. */
  body: Record<string, unknown>;
  identifier: string;
  options: RespondOptions;
  timings: StallTimings;
  answerCapTokens: number | null;
  nowMs: () => number;
}

function stopReasonOf(reason: string): StopReason {
  if (reason === 'length') return 'maxTokens';
  return reason === 'stop' ? 'eos' : 'other';
}

/** One event's data as a piece of the answer. */
export function decodeOpenAiEvent(data: string): StreamPiece | null {
  if (data.trim() === '[DONE]') return { done: true };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { error: 'an event that is not JSON' };
  }
  const failure = StreamErrorSchema.safeParse(json);
  if (failure.success) {
    const { error } = failure.data;
    return { error: typeof error === 'string' ? error : (error.message ?? 'unknown error') };
  }
  const parsed = ChunkSchema.safeParse(json);
  if (!parsed.success) return { error: 'an event Mai cannot read' };
  const piece: StreamPiece = {};
  const choice = parsed.data.choices?.[0];
  if (choice?.delta?.content) piece.content = choice.delta.content;
  const reasoning = choice?.delta?.reasoning_content ?? choice?.delta?.reasoning;
  if (reasoning) piece.reasoning = reasoning;
  if (choice?.finish_reason) piece.finish = stopReasonOf(choice.finish_reason);
  const usage = parsed.data.usage;
  if (usage?.prompt_tokens !== undefined) piece.promptTokens = usage.prompt_tokens;
  if (usage?.completion_tokens !== undefined) piece.predictedTokens = usage.completion_tokens;
  // The role-only first chunk and keep-alive chunks say nothing.
  return Object.keys(piece).length === 0 ? null : piece;
}

export function openAiChat(request: OpenAiChatRequest): Promise<RespondResult> {
  return streamAnswer({
    ...request,
    http: {
      method: 'POST',
      path: '/chat/completions',
      body: { ...request.body, stream: true, stream_options: { include_usage: true } },
      operation: `answer with ${request.identifier}`,
    },
    units: sseData,
    decode: decodeOpenAiEvent,
  });
}
