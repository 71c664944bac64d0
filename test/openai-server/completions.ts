import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EngineChatRole, EngineGenerateResult, EngineModel } from '../lmstudio-server/engine';
import type { OpenAiFaults } from './faults';

/** OpenAI's error object (`{"error": {message, type, param, code}}`), with the status it goes out with. */
export function sendError(response: ServerResponse, status: number, message: string, code: string | null): void {
  const type = status === 401 ? 'invalid_request_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(response, status, { error: { message, type, param: null, code } });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export interface CompletionBody {
  model?: unknown;
  messages?: { role?: unknown; content?: unknown }[];
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  temperature?: unknown;
  seed?: unknown;
  stop?: unknown;
}

const finishReason = (result: EngineGenerateResult) =>
  result.stopReason === 'maxTokens' || result.stopReason === 'contextFull' ? 'length' : 'stop';

/**
 * `POST /v1/chat/completions` on a loaded model, as OpenAI documents it: a `chat.completion` object, or with
 * `stream: true` server-sent events of `chat.completion.chunk` objects (role first, then content deltas, then the
 * finish reason, then `usage` with empty `choices` when `stream_options.include_usage` asks), ended by `data: [DONE]`.
 */
export async function complete(
  body: CompletionBody & { model: string },
  model: EngineModel,
  response: ServerResponse,
  faults: OpenAiFaults,
): Promise<void> {
  const messages = (body.messages ?? []).map((m) => ({
    role: String(m.role) as EngineChatRole,
    content: String(m.content ?? ''),
  }));
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const stream = body.stream === true;
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: body.model,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const event = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  const generation = new AbortController();
  // A client that goes away (a cancel) stops the generation.
  response.on('close', () => generation.abort());
  if (stream) {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    event(chunk({ role: 'assistant', content: '' }, null));
  }
  let text = '';
  let pieces = 0;
  const frozen = () => faults.stallAfterChunks !== undefined && pieces > faults.stallAfterChunks;
  const result = await model.generate({
    input: { kind: 'chat', messages },
    maxTokens: typeof maxTokens === 'number' ? maxTokens : null,
    temperature: typeof body.temperature === 'number' ? body.temperature : 1,
    seed: typeof body.seed === 'number' ? body.seed : undefined,
    stopStrings: typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.map(String) : [],
    signal: generation.signal,
    onPromptProgress: () => {},
    onText: (piece) => {
      text += piece;
      if (!stream || generation.signal.aborted) return;
      pieces += 1;
      if (faults.dropAfterChunks !== undefined && pieces > faults.dropAfterChunks) {
        response.socket?.destroy();
        return;
      }
      if (!frozen()) event(chunk({ content: piece }, null));
    },
  });
  if (generation.signal.aborted || response.writableEnded || frozen()) return;
  const usage = {
    prompt_tokens: result.promptTokens,
    completion_tokens: result.predictedTokens,
    total_tokens: result.promptTokens + result.predictedTokens,
  };
  if (!stream) {
    return sendJson(response, 200, {
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text },
          logprobs: null,
          finish_reason: finishReason(result),
        },
      ],
      usage,
    });
  }
  event(chunk({}, finishReason(result)));
  if (body.stream_options?.include_usage === true) event({ ...chunk({}, null), choices: [], usage });
  response.end('data: [DONE]\n\n');
}
