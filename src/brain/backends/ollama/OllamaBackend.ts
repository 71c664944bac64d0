import type { z } from 'zod';
import { BackendError, type BackendErrorCode, type BackendHealth, type ChatMessage } from '../ModelBackend';
import type { LoadedModel, LoadOptions, ModelBackend, ModelInfo, RespondOptions, RespondResult } from '../ModelBackend';
import type { EstimateRequest, MemoryEstimate } from '../estimateFormula';
import { notRunning, nothingListens, sendJson, type HttpRequest, type HttpTarget } from '../http/httpCall';
import { refusedConnection } from '../http/portProbe';
import { Reachability } from '../http/reachability';
import { TokenEstimator, utf8Bytes } from '../http/tokenEstimate';
import { ollamaChat } from './ollamaChat';
import { toModelInfo } from './ollamaModels';
import { resolveOllamaOptions, type OllamaBackendOptions, type ResolvedOllamaOptions } from './ollamaOptions';
import { LoadReplySchema, PsSchema, ShowSchema, TagsSchema, VersionSchema } from './ollamaWire';
import type { OllamaRunning, OllamaShow } from './ollamaWire';

export function createOllamaBackend(options: OllamaBackendOptions = {}): OllamaBackend {
  return new OllamaBackend(options);
}

/** What Mai holds in Ollama: one instance per model there, so the model's name is its identifier. */
interface Held {
  contextLength: number;
  /** False for a model someone else had loaded: Mai lets go of it but never unloads it. */
  owned: boolean;
}

/** The window Mai asks for when a load names none: its working 4k, as catalog.ts loads every model. */
const defaultContextTokens = 4096;

/** Mai's engine over Ollama's HTTP API (docs/api.md): list, show, ps, load and unload through keep_alive, chat. */
export class OllamaBackend implements ModelBackend {
  readonly id = 'ollama' as const;
  /** /api/ps lists every loaded model with its size: what it does not list takes nothing. */
  readonly reportsLoadedMemory = true;
  private readonly options: ResolvedOllamaOptions;
  private readonly target: HttpTarget;
  private readonly reachability: Reachability;
  private readonly held = new Map<string, Held>();
  /** /api/show per digest: a model's facts change only with its content. */
  private readonly shows = new Map<string, Promise<OllamaShow | null>>();
  private readonly thinking = new Set<string>();
  private readonly tokens = new TokenEstimator();
  private running: OllamaRunning[] = [];
  private readonly answering = new Set<AbortController>();

  constructor(options: OllamaBackendOptions) {
    this.options = resolveOllamaOptions(options);
    const where = `Ollama at ${this.options.url}`;
    const label = this.options.hostName ? `${this.options.hostName} (${where})` : where;
    this.target = { engine: 'ollama', label, baseUrl: this.options.url, token: this.options.token };
    this.reachability = new Reachability({
      engine: 'ollama',
      clock: this.options.clock,
      retryInitialMs: this.options.retryInitialMs,
      retryMaxMs: this.options.retryMaxMs,
      probe: async () => {
        const refused = await refusedConnection(this.options.url, this.options.probeTimeoutMs);
        if (refused && nothingListens(refused)) throw notRunning(this.target, refused);
        const request = { method: 'GET', path: '/api/version', timeoutMs: this.options.probeTimeoutMs } as const;
        const { version } = await sendJson(this.target, { ...request, operation: 'say its version' }, VersionSchema);
        return `Ollama ${version} at ${this.options.url}`;
      },
    });
  }

  async health(): Promise<BackendHealth> {
    const health = await this.reachability.health();
    // This machine's Ollama is looked for by default: say how to point Mai elsewhere, or stop it looking.
    if (health.status !== 'unavailable' || this.options.hostName) return health;
    return { ...health, detail: `${health.detail}. Start Ollama, set MAI_OLLAMA_URL, or set it to off.` };
  }

  async listModels(): Promise<ModelInfo[]> {
    const { models } = await this.call({ method: 'GET', path: '/api/tags', operation: 'list its models' }, TagsSchema);
    return Promise.all(
      models.map(async (tag) => {
        const show = await this.show(tag.name, tag.digest ?? tag.name);
        if (show?.capabilities?.includes('thinking')) this.thinking.add(tag.name);
        return toModelInfo(tag, show);
      }),
    );
  }

  async listLoaded(): Promise<LoadedModel[]> {
    const ps = await this.call({ method: 'GET', path: '/api/ps', operation: 'list its loaded models' }, PsSchema);
    this.running = ps.models;
    return ps.models.map((m) => ({
      identifier: m.name,
      key: m.name,
      backend: this.id,
      contextLength: m.context_length || this.held.get(m.name)?.contextLength || 0,
      memory: { totalBytes: m.size, vramBytes: m.size_vram ?? 0 },
    }));
  }

  /** Reuses the model when Ollama already has it with a window that is enough; loads it (keep_alive) otherwise. */
  async load(key: string, options: LoadOptions = {}): Promise<LoadedModel> {
    const wanted = options.contextLength ?? defaultContextTokens;
    const present = (await this.listLoaded()).find((m) => m.key === key);
    if (present && !this.held.get(key)?.owned && present.contextLength >= wanted) {
      this.held.set(key, { contextLength: present.contextLength, owned: false });
      const note = `${key} was already loaded in Ollama with a ${present.contextLength}-token window; Mai uses it as it is`;
      return { ...present, reused: true, note };
    }
    const body = { model: key, messages: [], keep_alive: this.options.keepAlive, options: { num_ctx: wanted } };
    const timeoutMs = options.timeoutMs ?? this.options.loadTimeoutMs;
    const request = { method: 'POST', path: '/api/chat', body, timeoutMs, operation: `load ${key}` } as const;
    const reply = await this.call({ ...request, failureCode: 'load_failed', signal: options.signal }, LoadReplySchema);
    if (!reply.done) throw new BackendError('load_failed', `${this.target.label} did not load ${key}`, this.id);
    options.onProgress?.(1);
    const loaded = (await this.listLoaded()).find((m) => m.key === key);
    const contextLength = loaded?.contextLength || wanted;
    this.held.set(key, { contextLength, owned: true });
    return {
      identifier: key,
      key,
      backend: this.id,
      contextLength,
      ...(loaded?.memory ? { memory: loaded.memory } : {}),
    };
  }

  /** Unloads (keep_alive 0) what Mai loaded; a model someone else had loaded is only let go of. */
  async unload(identifier: string): Promise<void> {
    const held = this.held.get(identifier);
    this.held.delete(identifier);
    if (held && !held.owned) return;
    const body = { model: identifier, messages: [], keep_alive: 0 };
    const request = { method: 'POST', path: '/api/chat', body, operation: `unload ${identifier}` } as const;
    await this.call(request, LoadReplySchema);
  }

  async respond(identifier: string, messages: ChatMessage[], options: RespondOptions = {}): Promise<RespondResult> {
    await this.reachability.ensureReady();
    const held = this.held.get(identifier);
    const thinks = this.thinking.has(identifier) && options.maxReasoningTokens !== undefined;
    const budget =
      options.maxTokens === undefined ? -1 : options.maxTokens + (thinks ? (options.maxReasoningTokens ?? 0) : 0);
    const stop = new AbortController();
    this.answering.add(stop);
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    try {
      const result = await ollamaChat({
        target: this.target,
        identifier,
        body: {
          model: identifier,
          messages: messages.map(({ role, content }) => ({ role, content })),
          // A model someone else loaded keeps the keep-alive they gave it.
          ...(held?.owned === false ? {} : { keep_alive: this.options.keepAlive }),
          options: {
            num_ctx: held?.contextLength ?? defaultContextTokens,
            num_predict: budget,
            ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
            ...(options.seed === undefined ? {} : { seed: options.seed }),
          },
        },
        options: { ...options, signal },
        timings: this.options,
        answerCapTokens: thinks ? (options.maxTokens ?? null) : null,
        nowMs: () => this.options.clock.monotonicMs(),
      });
      const promptBytes = messages.reduce((sum, m) => sum + utf8Bytes(m.content), 0);
      this.tokens.observe(identifier, promptBytes, result.stats.promptTokens);
      return result;
    } catch (error) {
      throw this.noted(error);
    } finally {
      this.answering.delete(stop);
    }
  }

  /** Estimated from bytes, calibrated by the counts Ollama reports: its API has no tokenizer. */
  async countTokens(identifier: string, text: string): Promise<number> {
    return this.tokens.count(identifier, text);
  }

  async contextLength(identifier: string): Promise<number> {
    const held = this.held.get(identifier);
    if (!held) throw new BackendError('not_found', `Mai has not loaded ${identifier} in ${this.target.label}`, this.id);
    return held.contextLength;
  }

  /** What a loaded model really takes, as /api/ps reported it, when it was loaded with a window that is enough. */
  async estimateMemory(model: ModelInfo, request: EstimateRequest): Promise<MemoryEstimate | null> {
    const running = this.running.find((m) => m.name === model.key);
    if (!running || (running.context_length ?? 0) < request.contextLength) return null;
    const vramBytes = running.size_vram ?? 0;
    const breakdown = {
      weights: model.sizeBytes,
      kvCache: Math.max(0, running.size - model.sizeBytes),
      compute: 0,
      overhead: 0,
    };
    return { ramBytes: running.size - vramBytes, vramBytes, breakdown, method: 'engine' };
  }

  async close(): Promise<void> {
    for (const stop of this.answering) stop.abort();
    const owned = [...this.held.entries()].filter(([, held]) => held.owned).map(([identifier]) => identifier);
    await Promise.allSettled(owned.map((identifier) => this.unload(identifier)));
  }

  private show(name: string, digest: string): Promise<OllamaShow | null> {
    let shown = this.shows.get(digest);
    if (!shown) {
      const request = { method: 'POST', path: '/api/show', body: { model: name }, operation: `show ${name}` } as const;
      // A model Ollama cannot show is still listed, estimated from its size alone.
      shown = this.call(request, ShowSchema).catch(() => null);
      this.shows.set(digest, shown);
    }
    return shown;
  }

  /** One JSON call under the call deadline; a failure that means Ollama went away is told to the reachability. */
  private async call<T>(
    request: Omit<HttpRequest, 'timeoutMs'> & { timeoutMs?: number; failureCode?: BackendErrorCode },
    schema: z.ZodType<T>,
  ): Promise<T> {
    await this.reachability.ensureReady();
    try {
      return await sendJson(this.target, { timeoutMs: this.options.callTimeoutMs, ...request }, schema);
    } catch (error) {
      throw this.noted(error);
    }
  }

  private noted(error: unknown): unknown {
    const gone = ['not_running', 'disconnected', 'stalled'];
    if (error instanceof BackendError && gone.includes(error.code)) this.reachability.lost(error);
    return error;
  }
}
