import {
  BackendError,
  type BackendHealth,
  type ChatMessage,
  type LoadedModel,
  type LoadOptions,
} from '../ModelBackend';
import type { ModelBackend, ModelInfo, RespondOptions, RespondResult } from '../ModelBackend';
import { sendJson, type HttpTarget } from '../http/httpCall';
import { Reachability } from '../http/reachability';
import { TokenEstimator, utf8Bytes } from '../http/tokenEstimate';
import { openAiChat } from './openAiChat';
import { resolveOpenAiOptions, type OpenAiBackendOptions, type ResolvedOpenAiOptions } from './openAiOptions';
import { ModelsSchema, type OpenAiModel } from './openAiWire';

export function createOpenAiBackend(options: OpenAiBackendOptions): OpenAiBackend {
  return new OpenAiBackend(options);
}

/** The window Mai assumes when the server does not say its own: Mai's working 4k, as catalog.ts loads every model. */
const defaultContextTokens = 4096;

/** "7B" from llama.cpp's parameter count, the way listings write sizes. */
function paramsText(count: number | undefined): string | null {
  if (!count) return null;
  return count >= 1e9 ? `${Number((count / 1e9).toPrecision(2))}B` : `${Number((count / 1e6).toPrecision(2))}M`;
}

/** The window the server says it serves the model with (vLLM's max_model_len, llama.cpp's trained window). */
const windowOf = (model: OpenAiModel) => model.max_model_len ?? model.meta?.n_ctx_train ?? null;

/**
 * Mai's engine over an OpenAI-compatible server (llama.cpp's llama-server, vLLM, LocalAI, LM Studio's REST): the
 * models it serves, and streamed chat completions. Such a server has no load or unload: Mai "loads" a model by
 * checking the server serves it. Its memory is the server's: unknown unless it says (llama.cpp's `meta.size`),
 * never this machine's, so every model it lists carries a host and the catalog counts none against local memory.
 */
export class OpenAiBackend implements ModelBackend {
  readonly id = 'openai' as const;
  private readonly options: ResolvedOpenAiOptions;
  private readonly target: HttpTarget;
  private readonly reachability: Reachability;
  /** Models Mai uses, with the window it fits conversations to. */
  private readonly held = new Map<string, number>();
  private readonly tokens = new TokenEstimator();
  private readonly answering = new Set<AbortController>();

  constructor(options: OpenAiBackendOptions) {
    this.options = resolveOpenAiOptions(options);
    const where = `the OpenAI-compatible server at ${this.options.url}`;
    const label = options.hostName ? `${options.hostName} (${where})` : where;
    this.target = { engine: 'openai', label, baseUrl: this.options.url, token: this.options.token };
    this.reachability = new Reachability({
      engine: 'openai',
      clock: this.options.clock,
      retryInitialMs: this.options.retryInitialMs,
      retryMaxMs: this.options.retryMaxMs,
      probe: async () => {
        const { data } = await this.models(this.options.probeTimeoutMs);
        return `OpenAI-compatible server at ${this.options.url} (${data.length} model${data.length === 1 ? '' : 's'})`;
      },
    });
  }

  health(): Promise<BackendHealth> {
    return this.reachability.health();
  }

  async listModels(): Promise<ModelInfo[]> {
    await this.reachability.ensureReady();
    const { data } = await this.noting(this.models(this.options.callTimeoutMs));
    return data.map((model) => ({
      key: model.id,
      displayName: model.id,
      backend: this.id,
      path: null,
      sizeBytes: model.meta?.size ?? 0,
      paramsString: paramsText(model.meta?.n_params),
      architecture: null,
      quantization: null,
      maxContextLength: windowOf(model),
      vision: false,
      trainedForToolUse: false,
      usable: true,
      unusableReason: null,
      gguf: null,
      host: { name: this.options.hostName, capacityBytes: null, usedBytes: null },
    }));
  }

  /** The models Mai is using: the server does not say which of its models sit in memory. */
  async listLoaded(): Promise<LoadedModel[]> {
    return [...this.held].map(([key, contextLength]) => ({ identifier: key, key, backend: this.id, contextLength }));
  }

  async load(key: string, options: LoadOptions = {}): Promise<LoadedModel> {
    await this.reachability.ensureReady();
    const { data } = await this.noting(this.models(this.options.callTimeoutMs));
    const model = data.find((m) => m.id === key);
    if (!model) throw new BackendError('not_found', `${this.target.label} does not serve ${key}`, this.id);
    const wanted = options.contextLength ?? defaultContextTokens;
    const contextLength = Math.min(wanted, windowOf(model) ?? wanted);
    this.held.set(key, contextLength);
    options.onProgress?.(1);
    return { identifier: key, key, backend: this.id, contextLength };
  }

  async unload(identifier: string): Promise<void> {
    this.held.delete(identifier);
  }

  async respond(identifier: string, messages: ChatMessage[], options: RespondOptions = {}): Promise<RespondResult> {
    await this.reachability.ensureReady();
    const reasoning = options.maxReasoningTokens ?? 0;
    const stop = new AbortController();
    this.answering.add(stop);
    try {
      const result = await this.noting(
        openAiChat({
          target: this.target,
          identifier,
          body: {
            model: identifier,
            messages: messages.map(({ role, content }) => ({ role, content })),
            // Reasoning's budget on top of the answer's; the answer itself is cut at its own (answerCapTokens).
            ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens + reasoning }),
            ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
            ...(options.seed === undefined ? {} : { seed: options.seed }),
          },
          options: {
            ...options,
            signal: options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal,
          },
          timings: this.options,
          answerCapTokens: reasoning > 0 ? (options.maxTokens ?? null) : null,
          nowMs: () => this.options.clock.monotonicMs(),
        }),
      );
      const promptBytes = messages.reduce((sum, m) => sum + utf8Bytes(m.content), 0);
      this.tokens.observe(identifier, promptBytes, result.stats.promptTokens);
      return result;
    } catch (error) {
      // The server's own refusal of a prompt its window cannot hold: a model with a larger one should answer.
      if (
        error instanceof BackendError &&
        error.code === 'internal' &&
        /context.?length|context size/i.test(error.message)
      ) {
        throw new BackendError('does_not_fit', error.message, this.id, { cause: error });
      }
      throw error;
    } finally {
      this.answering.delete(stop);
    }
  }

  /** Estimated from bytes, calibrated by the server's `usage.prompt_tokens`: OpenAI's API has no tokenizer. */
  async countTokens(identifier: string, text: string): Promise<number> {
    return this.tokens.count(identifier, text);
  }

  async contextLength(identifier: string): Promise<number> {
    const held = this.held.get(identifier);
    if (held === undefined) throw new BackendError('not_found', `Mai is not using ${identifier}`, this.id);
    return held;
  }

  async close(): Promise<void> {
    for (const stop of this.answering) stop.abort();
    this.held.clear();
  }

  private models(timeoutMs: number) {
    return sendJson(
      this.target,
      { method: 'GET', path: '/models', timeoutMs, operation: 'list its models' },
      ModelsSchema,
    );
  }

  /** A failure that means the server went away is told to the reachability, so it is probed again later. */
  private async noting<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof BackendError && ['not_running', 'disconnected', 'stalled'].includes(error.code)) {
        this.reachability.lost(error);
      }
      throw error;
    }
  }
}
