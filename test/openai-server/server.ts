import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultEngine } from '../lmstudio-server/defaultEngine';
import type { Engine, EngineModel } from '../lmstudio-server/engine';
import { scanModels, type RegisteredModel } from '../lmstudio-server/modelRegistry';
import { complete, sendError, sendJson, type CompletionBody } from './completions';
import type { OpenAiFaults } from './faults';

export interface StartOpenAiOptions {
  port?: number;
  modelsDir: string;
  /** Required as `Authorization: Bearer <apiKey>` when set, as OpenAI and `llama-server --api-key` do. */
  apiKey?: string;
  /** The window every model is served with (a server's --ctx-size), within what the model was trained for. */
  contextLength?: number;
  /** Add llama.cpp's `meta` (n_ctx_train, n_params, size) to /v1/models: a server that says what it serves. */
  describeModels?: boolean;
  faults?: OpenAiFaults;
  engine?: Engine;
}

export interface RunningOpenAiServer {
  /** `http://127.0.0.1:PORT/v1`: an OpenAI client's base URL. */
  url: string;
  port: number;
  setFaults(faults: OpenAiFaults): void;
  /** Models loaded so far (loaded on first use, kept: what a llama.cpp or vLLM server serves). */
  readonly loaded: ReadonlyMap<string, EngineModel>;
  readonly requests: readonly string[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

/** An OpenAI-compatible server on 127.0.0.1 (/v1/models, /v1/chat/completions), backed by the real engine. */
export async function startOpenAiServer(options: StartOpenAiOptions): Promise<RunningOpenAiServer> {
  let faults: OpenAiFaults = options.faults ?? {};
  const models = await scanModels(options.modelsDir);
  const engine = options.engine ?? defaultEngine(options.modelsDir);
  const loaded = new Map<string, EngineModel>();
  const loading = new Map<string, Promise<EngineModel>>();
  const requests: string[] = [];
  const created = Math.floor(Date.now() / 1000);

  const modelFor = (model: RegisteredModel): Promise<EngineModel> => {
    const id = model.info.modelKey;
    let load = loading.get(id);
    if (!load) {
      const contextLength = Math.min(model.info.maxContextLength, options.contextLength ?? 2048);
      const signal = new AbortController().signal;
      load = engine.load({ filePath: model.filePath, contextLength, onProgress: () => {}, signal }).then((m) => {
        loaded.set(id, m);
        return m;
      });
      loading.set(id, load);
    }
    return load;
  };

  const listing = () => ({
    object: 'list',
    data: models.map(({ info }) => ({
      id: info.modelKey,
      object: 'model',
      created,
      owned_by: 'mai-test',
      ...(options.describeModels
        ? { meta: { n_ctx_train: info.maxContextLength, n_params: 0, size: info.sizeBytes } }
        : {}),
    })),
  });

  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const target = `${request.method} ${new URL(request.url ?? '/', 'http://x').pathname}`;
    requests.push(target);
    if (faults.neverAnswer) return;
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(response, 401, 'Incorrect API key provided.', 'invalid_api_key');
    }
    if (target === 'GET /v1/models') return sendJson(response, 200, listing());
    if (target !== 'POST /v1/chat/completions') return sendError(response, 404, `Unknown request URL: ${target}`, null);
    let body: CompletionBody;
    try {
      body = JSON.parse(await readBody(request)) as CompletionBody;
    } catch {
      return sendError(response, 400, 'We could not parse the JSON body of your request.', null);
    }
    const model = models.find((m) => m.info.modelKey === body.model);
    if (!model)
      return sendError(response, 404, `The model \`${String(body.model)}\` does not exist.`, 'model_not_found');
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return sendError(response, 400, "Missing required parameter: 'messages'.", 'missing_required_parameter');
    }
    const engineModel = await modelFor(model);
    const prompt = await engineModel.formatChat(
      body.messages.map((m) => ({ role: String(m.role) as 'user', content: String(m.content ?? '') })),
    );
    // As llama.cpp's and vLLM's servers refuse a prompt their window cannot hold (OpenAI's code for it).
    if ((await engineModel.countTokens(prompt)) >= engineModel.contextLength) {
      return sendError(
        response,
        400,
        `This model's maximum context length is ${engineModel.contextLength} tokens.`,
        'context_length_exceeded',
      );
    }
    return complete({ ...body, model: model.info.modelKey }, engineModel, response, faults);
  };

  const http = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, String(error), null);
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    loaded,
    requests,
    setFaults: (next) => {
      faults = next;
    },
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.allSettled([...loading.values()]);
      await Promise.allSettled([...loaded.values()].map((m) => m.unload()));
      if (!options.engine) await engine.close();
    },
  };
}
