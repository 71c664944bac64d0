import type { ServerResponse } from 'node:http';
import type { EngineChatRole, EngineGenerateResult } from '../lmstudio-server/engine';
import { findOllamaModel, type OllamaModel } from './catalog';
import type { OllamaFaults } from './faults';
import { keepAliveMs, type Runners } from './runners';

/** Ollama's default window when a request names no num_ctx (4k below 23 GiB of VRAM: shared/reference/anchors.md). */
export const defaultNumCtx = 4096;

export interface ChatDeps {
  models: readonly OllamaModel[];
  runners: Runners;
  faults: () => OllamaFaults;
}

export interface ChatBody {
  model?: unknown;
  messages?: { role?: unknown; content?: unknown }[];
  stream?: unknown;
  keep_alive?: unknown;
  think?: unknown;
  options?: { num_ctx?: unknown; num_predict?: unknown; temperature?: unknown; seed?: unknown; stop?: unknown };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

const nsFromMs = (ms: number) => Math.round(ms * 1e6);
const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

/** ChatResponse's common part (api/types.go): the message is the assistant's, with `content` always present. */
function chatChunk(model: string, content: string, done: boolean) {
  return { model, created_at: new Date().toISOString(), message: { role: 'assistant', content }, done };
}

/** `POST /api/chat` (docs/api.md "Generate a chat completion"): load, unload, or a streamed or whole answer. */
export async function handleChat(body: ChatBody, response: ServerResponse, deps: ChatDeps): Promise<void> {
  if (typeof body.model !== 'string' || body.model === '')
    return sendJson(response, 400, { error: 'model is required' });
  const model = findOllamaModel(deps.models, body.model);
  if (!model) return sendJson(response, 404, { error: `model '${body.model}' not found` });
  let keepAlive: number | null;
  try {
    keepAlive = keepAliveMs(body.keep_alive);
  } catch (error) {
    return sendJson(response, 400, { error: (error as Error).message });
  }
  // The fixture models do not think; Ollama refuses `think` for such a model.
  if (body.think === true) return sendJson(response, 400, { error: `"${body.model}" does not support thinking` });
  const messages = body.messages ?? [];
  if (messages.length === 0 && keepAlive === 0) {
    await deps.runners.unload(model.name);
    return sendJson(response, 200, { ...chatChunk(body.model, '', true), done_reason: 'unload' });
  }
  const options = body.options ?? {};
  const contextLength = Math.min(model.contextLength, number(options.num_ctx, defaultNumCtx));
  const started = performance.now();
  const { runner, loadMs } = await deps.runners.ensure(model, contextLength);
  if (messages.length === 0) {
    deps.runners.keepAlive(runner, keepAlive);
    return sendJson(response, 200, { ...chatChunk(body.model, '', true), done_reason: 'load' });
  }
  const stream = body.stream !== false;
  const generation = new AbortController();
  // A client that goes away (a cancel) stops the generation, as Ollama does.
  response.on('close', () => generation.abort());
  if (stream) response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const faults = deps.faults();
  let chunks = 0;
  let text = '';
  let firstTextMs: number | null = null;
  const numPredict = number(options.num_predict, -1);
  let result: EngineGenerateResult;
  try {
    result = await runner.engineModel.generate({
      input: {
        kind: 'chat',
        messages: messages.map((m) => ({ role: String(m.role) as EngineChatRole, content: String(m.content ?? '') })),
      },
      maxTokens: numPredict < 0 ? null : numPredict,
      temperature: number(options.temperature, 0.8),
      seed: typeof options.seed === 'number' ? options.seed : undefined,
      stopStrings: Array.isArray(options.stop) ? options.stop.map(String) : [],
      signal: generation.signal,
      onPromptProgress: () => {},
      onText: (piece) => {
        firstTextMs ??= performance.now();
        text += piece;
        if (!stream || generation.signal.aborted) return;
        chunks += 1;
        if (faults.stallChatAfterChunks !== undefined && chunks > faults.stallChatAfterChunks) return;
        if (faults.dropChatAfterChunks !== undefined && chunks > faults.dropChatAfterChunks) {
          response.socket?.destroy();
          return;
        }
        if (faults.errorChatAfterChunks !== undefined && chunks > faults.errorChatAfterChunks) {
          // Ollama reports a failure mid-stream as one more line, the status already sent (docs/api/errors.mdx).
          response.end(`${JSON.stringify({ error: 'an error was encountered while running the model' })}\n`);
          generation.abort();
          return;
        }
        response.write(`${JSON.stringify(chatChunk(body.model as string, piece, false))}\n`);
      },
    });
  } catch (error) {
    if (!response.headersSent) return sendJson(response, 500, { error: (error as Error).message });
    if (!response.writableEnded) response.end(`${JSON.stringify({ error: (error as Error).message })}\n`);
    return;
  }
  deps.runners.keepAlive(runner, keepAlive);
  // Gone (cancelled), frozen on purpose, or already ended by a fault: nothing more goes out.
  if (generation.signal.aborted || response.writableEnded) return;
  if (faults.stallChatAfterChunks !== undefined && chunks > faults.stallChatAfterChunks) return;
  const endedMs = performance.now();
  const promptEndMs = firstTextMs ?? endedMs;
  const final = {
    ...chatChunk(body.model, stream ? '' : text, true),
    done_reason: result.stopReason === 'maxTokens' || result.stopReason === 'contextFull' ? 'length' : 'stop',
    total_duration: nsFromMs(endedMs - started),
    load_duration: nsFromMs(loadMs),
    prompt_eval_count: result.promptTokens,
    prompt_eval_duration: nsFromMs(promptEndMs - started - loadMs),
    eval_count: result.predictedTokens,
    eval_duration: nsFromMs(endedMs - promptEndMs),
  };
  if (stream) response.end(`${JSON.stringify(final)}\n`);
  else sendJson(response, 200, final);
}
