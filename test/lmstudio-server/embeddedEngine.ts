import path from 'node:path';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { EmbeddedBackend } from '../../src/brain/backends/embedded/EmbeddedBackend';
import type { EmbeddedGenerateOptions, EmbeddedResult } from '../../src/brain/backends/embedded/types';
import type { Engine, EngineGenerateRequest, EngineGenerateResult, EngineModel, EngineStopReason } from './engine';

/**
 * The server's engine is Mai's own embedded engine (EmbeddedBackend over node-llama-cpp), so what the LM Studio
 * adapter is tested against is real loading, tokenizing and generation, the same code Mai runs without LM Studio.
 */

// One llama.cpp binding for every server a test process starts (restarts included); CPU only, threads explicit:
// on 2 cores an unset count made generation ~500x slower (shared/models/README.md).
let sharedLlama: Promise<Llama> | null = null;
const llamaFor = (threads: number) =>
  (sharedLlama ??= getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error }));

function stopReasonOf(result: EmbeddedResult): EngineStopReason {
  switch (result.stats.stopReason) {
    case 'maxTokens':
    case 'cancelled':
    case 'contextFull':
      return result.stats.stopReason;
    default:
      return result.stats.stopString === null ? 'eos' : 'stopString';
  }
}

class EmbeddedEngineModel implements EngineModel {
  constructor(
    private readonly backend: EmbeddedBackend,
    private readonly identifier: string,
    readonly contextLength: number,
  ) {}

  async tokenize(text: string): Promise<number[]> {
    return this.backend.tokenize(this.identifier, text);
  }

  countTokens(text: string): Promise<number> {
    return this.backend.countTokens(this.identifier, text);
  }

  async formatChat(messages: Parameters<EngineModel['formatChat']>[0]): Promise<string> {
    return this.backend.formatPrompt(this.identifier, messages);
  }

  async generate(request: EngineGenerateRequest): Promise<EngineGenerateResult> {
    let started = false;
    const options: EmbeddedGenerateOptions = {
      temperature: request.temperature,
      signal: request.signal,
      stopStrings: request.stopStrings,
      onChunk: ({ text, tokenCount }) => {
        if (!started) request.onPromptProgress(1);
        started = true;
        request.onText(text, tokenCount);
      },
    };
    if (request.maxTokens !== null) options.maxTokens = request.maxTokens;
    if (request.seed !== undefined) options.seed = request.seed;
    request.onPromptProgress(0);
    const result =
      request.input.kind === 'raw'
        ? await this.backend.complete(this.identifier, request.input.prompt, options)
        : await this.backend.generateChat(this.identifier, request.input.messages, options);
    return {
      stopReason: stopReasonOf(result),
      promptTokens: result.stats.promptTokens ?? 0,
      predictedTokens: result.stats.predictedTokens,
    };
  }

  unload(): Promise<void> {
    return this.backend.unload(this.identifier);
  }
}

/** An engine over the GGUF files in `modelsDir`, with `threads` llama.cpp threads per context. */
export function embeddedEngine(modelsDir: string, threads = 1): Engine {
  let backend: Promise<EmbeddedBackend> | null = null;
  const backendNow = () =>
    (backend ??= llamaFor(threads).then(
      (llama) => new EmbeddedBackend({ modelsDirs: [modelsDir], threads, gpu: false, llama }),
    ));
  let loads = 0;
  return {
    async load({ filePath, contextLength, onProgress, signal }) {
      const engine = await backendNow();
      const wanted = path.resolve(filePath);
      const model = (await engine.listModels()).find((info) => info.path && path.resolve(info.path) === wanted);
      if (!model) throw new Error(`the embedded engine does not list ${filePath}`);
      // Internal handle only; the server gives instances their LM Studio identifiers.
      loads += 1;
      const loaded = await engine.load(model.key, {
        identifier: `server-instance-${loads}`,
        contextLength,
        gpuOffload: 'off',
        onProgress,
        signal,
      });
      return new EmbeddedEngineModel(engine, loaded.identifier, loaded.contextLength);
    },
    async close() {
      if (backend) await (await backend).close();
    },
  };
}
