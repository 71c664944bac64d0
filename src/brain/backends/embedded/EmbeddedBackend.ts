import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import type { Llama, Token } from 'node-llama-cpp';
import { systemClock, type Clock } from '../../clock';
import { silentLogger, type Logger } from '../../logger';
import {
  BackendError,
  type BackendHealth,
  type ChatMessage,
  type ContextOptions,
  type LoadedModel,
  type ModelBackend,
  type ModelInfo,
} from '../ModelBackend';
import { estimateWithEngine } from '../estimateEngine';
import { loadNodeLlamaCpp } from '../lazyModules';
import type { EstimateRequest, MemoryEstimate } from '../estimateFormula';
import { renderChatPrompt } from './chatFormat';
import { discoverModels, type DiscoveredModel, type InsightReader } from './discovery';
import { defaultThreadCount, describeEngine, startLlama } from './engine';
import { generate } from './generate';
import { maiVersion } from '../../version';
import { createCachedInsightReader } from './insightCache';
import { loadEntry, recreateContext } from './loadEntry';
import { requireAnswer } from './requireAnswer';
import type {
  EmbeddedBackendOptions,
  EmbeddedGenerateOptions,
  EmbeddedLoadOptions,
  EmbeddedResult,
  LoadedEntry,
} from './types';

// A 4k window keeps a default load's KV cache modest on any machine; callers ask for more when a turn needs it.
const defaultContextCap = 4096;

/**
 * The embedded llama.cpp engine (node-llama-cpp, in process) behind Mai's `ModelBackend`, plus the lower-level
 * calls an LM Studio-compatible server needs: `tokenize`, `detokenize`, `formatPrompt`, `complete` (raw prompt)
 * and `loadedInfo`. One `Llama` instance, created on first use with an explicit thread count.
 */
export class EmbeddedBackend implements ModelBackend {
  readonly id = 'embedded' as const;
  readonly threads: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly readInsight: InsightReader;
  private llamaPromise: Promise<Llama> | null = null;
  /** Why the last start of the engine failed; null when it has not failed. */
  private startFailure: string | null = null;
  private readonly loaded = new Map<string, LoadedEntry>();
  /** Identifiers of loads in progress, so two loads of one key at once get different names. */
  private readonly reserved = new Set<string>();
  private discovered = new Map<string, DiscoveredModel>();

  constructor(private readonly options: EmbeddedBackendOptions) {
    this.threads = options.threads ?? defaultThreadCount(availableParallelism());
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.readInsight = createCachedInsightReader({
      maiVersion,
      ...(options.headerCacheFile ? { file: options.headerCacheFile } : {}),
    });
    // A Llama made elsewhere (tests, benches) still goes through the loader, which the rest of the engine reads.
    const given = options.llama;
    if (given) this.llamaPromise = loadNodeLlamaCpp().then(() => given);
  }

  /** The engine instance, created once; estimates use it too, so they come from the same binary and GPU. */
  getLlama(): Promise<Llama> {
    this.llamaPromise ??= startLlama({
      gpu: this.options.gpu ?? 'auto',
      threads: this.threads,
      logger: this.logger,
    }).then(
      (llama) => {
        this.startFailure = null;
        return llama;
      },
      (error: unknown) => {
        this.llamaPromise = null;
        this.startFailure = String(error);
        throw error;
      },
    );
    return this.llamaPromise;
  }

  /** llama.cpp's own figure for a readable GGUF file (any engine's listing), or null to let the formula answer. */
  async estimateMemory(model: ModelInfo, request: EstimateRequest): Promise<MemoryEstimate | null> {
    // LM Studio names its files relative to its own folder: only an absolute path is a file this engine can read.
    if (!model.path || !isAbsolute(model.path) || !model.usable) return null;
    const llama = await this.getLlama().catch(() => null);
    return llama ? estimateWithEngine(model.path, request, llama).catch(() => null) : null;
  }

  /**
   * Whether the engine can answer. Asking never starts it: starting llama.cpp costs a second or more, and a read
   * command (`mai status`, `mai models`) must not pay for an engine it does not use. Until its first use it is
   * reported ready (its binaries come with the package); once a start failed, why.
   */
  async health(): Promise<BackendHealth> {
    if (this.startFailure !== null) {
      return { id: this.id, status: 'unavailable', detail: `the embedded engine cannot start: ${this.startFailure}` };
    }
    if (!this.llamaPromise) {
      return {
        id: this.id,
        status: 'ready',
        detail: `llama.cpp through node-llama-cpp, ${this.threads} threads; it starts at the first load`,
      };
    }
    try {
      return { id: this.id, status: 'ready', detail: await describeEngine(await this.llamaPromise, this.threads) };
    } catch (error) {
      return { id: this.id, status: 'unavailable', detail: `the embedded engine cannot start: ${String(error)}` };
    }
  }

  /** Scans the models folders afresh (headers are re-read only for changed files). */
  async listModels(): Promise<ModelInfo[]> {
    const found = await discoverModels(this.options.modelsDirs, {
      readInsight: this.readInsight,
      ...(this.options.maxDepth === undefined ? {} : { maxDepth: this.options.maxDepth }),
    });
    this.discovered = new Map(found.map((model) => [model.info.key, model]));
    return found.map((model) => model.info);
  }

  /** The header behind a listed key (for estimates); null when the key is unknown. */
  async discoveredModel(key: string): Promise<DiscoveredModel | null> {
    if (!this.discovered.has(key)) await this.listModels();
    return this.discovered.get(key) ?? null;
  }

  async listLoaded(): Promise<LoadedModel[]> {
    return [...this.loaded.values()].map((entry) => this.describe(entry));
  }

  async load(key: string, options: EmbeddedLoadOptions = {}): Promise<LoadedModel> {
    const model = await this.discoveredModel(key);
    if (!model) throw new BackendError('not_found', `no GGUF model "${key}" in ${this.foldersText()}`, 'embedded');
    if (!model.info.usable) {
      throw new BackendError('unusable', `${key} cannot be loaded: ${model.info.unusableReason}`, 'embedded');
    }
    const identifier = this.newIdentifier(key, options.identifier);
    this.reserved.add(identifier);
    let entry: LoadedEntry;
    try {
      entry = await loadEntry(await this.getLlama(), model.info, identifier, options, {
        threads: this.threads,
        defaultContextLength: this.options.defaultContextLength ?? defaultContextCap,
      });
    } finally {
      this.reserved.delete(identifier);
    }
    this.loaded.set(identifier, entry);
    this.logger.info('embedded model loaded', { identifier, contextLength: entry.context.contextSize });
    return this.describe(entry);
  }

  /** A new context (window, KV cache type) for a loaded model, its weights kept: see recreateContext. */
  async reconfigure(identifier: string, options: ContextOptions): Promise<LoadedModel> {
    const entry = this.entry(identifier);
    await recreateContext(entry, options, this.threads);
    this.logger.info('embedded context recreated', { identifier, contextLength: entry.context.contextSize });
    return this.describe(entry);
  }

  /** Stops a generation in flight on the model (it ends 'cancelled' with its partial text), then frees it. */
  async unload(identifier: string): Promise<void> {
    const entry = this.entry(identifier);
    this.loaded.delete(identifier);
    entry.active?.abort();
    await entry.queue.drain();
    await entry.context.dispose();
    await entry.model.dispose();
  }

  /** A chat answer; one with no text is a BackendError 'empty_answer' (see requireAnswer), so Mai asks another model. */
  async respond(
    identifier: string,
    messages: ChatMessage[],
    options: EmbeddedGenerateOptions = {},
  ): Promise<EmbeddedResult> {
    return requireAnswer(identifier, await this.generateChat(identifier, messages, options));
  }

  /**
   * The chat generation behind respond, without its rule that an answer has text: what an LM Studio-compatible
   * server streams as it comes, empty or not.
   */
  generateChat(
    identifier: string,
    messages: ChatMessage[],
    options: EmbeddedGenerateOptions = {},
  ): Promise<EmbeddedResult> {
    return generate(this.entry(identifier), { kind: 'chat', messages }, options, this.clock);
  }

  /** Raw completion: the prompt is fed verbatim (no chat template); special-token text like "<s>" is parsed. */
  async complete(
    identifier: string,
    prompt: string | readonly number[],
    options: EmbeddedGenerateOptions = {},
  ): Promise<EmbeddedResult> {
    return generate(this.entry(identifier), { kind: 'prompt', prompt }, options, this.clock);
  }

  /** The prompt a chat turn would feed the model, special tokens written out (LM Studio's applyPromptTemplate). */
  formatPrompt(identifier: string, messages: readonly ChatMessage[]): string {
    const entry = this.entry(identifier);
    return renderChatPrompt(entry.model, entry.chatWrapper, messages).text;
  }

  /** The model's tokens for a text, without BOS; `specialTokens` parses text like "<|im_end|>" as one token. */
  tokenize(identifier: string, text: string, options: { specialTokens?: boolean } = {}): number[] {
    return this.entry(identifier).model.tokenize(text, options.specialTokens ?? false);
  }

  detokenize(identifier: string, tokens: readonly number[], options: { specialTokens?: boolean } = {}): string {
    return this.entry(identifier).model.detokenize(tokens as Token[], options.specialTokens ?? false);
  }

  async countTokens(identifier: string, text: string): Promise<number> {
    return this.tokenize(identifier, text).length;
  }

  async contextLength(identifier: string): Promise<number> {
    return this.entry(identifier).context.contextSize;
  }

  /** What an instance is: its listing entry, context and GPU layers (LM Studio's instance info is built from it). */
  loadedInfo(identifier: string): LoadedModel & { info: ModelInfo; gpuLayers: number } {
    const entry = this.entry(identifier);
    return { ...this.describe(entry), info: entry.info, gpuLayers: entry.gpuLayers };
  }

  /** Unloads everything and releases the engine (unless it was injected). The backend may be used again after. */
  async close(): Promise<void> {
    await Promise.all([...this.loaded.keys()].map((identifier) => this.unload(identifier)));
    const llamaPromise = this.llamaPromise;
    if (!this.options.llama && llamaPromise) {
      this.llamaPromise = null;
      const llama = await llamaPromise.catch(() => null);
      await llama?.dispose();
    }
  }

  private entry(identifier: string): LoadedEntry {
    const entry = this.loaded.get(identifier);
    if (!entry) throw new BackendError('not_found', `no loaded embedded model "${identifier}"`, 'embedded');
    return entry;
  }

  private describe(entry: LoadedEntry): LoadedModel {
    return {
      identifier: entry.identifier,
      key: entry.key,
      backend: this.id,
      contextLength: entry.context.contextSize,
      ...(entry.kvCacheType === 'f16' ? {} : { kvCacheType: entry.kvCacheType }),
    };
  }

  /** LM Studio's naming: the key for the first instance, then "key:2", "key:3"… */
  private newIdentifier(key: string, requested: string | undefined): string {
    const taken = (name: string) => this.loaded.has(name) || this.reserved.has(name);
    if (requested !== undefined) {
      if (taken(requested)) {
        throw new BackendError('refused', `an instance named "${requested}" is already loaded`, 'embedded');
      }
      return requested;
    }
    if (!taken(key)) return key;
    let index = 2;
    while (taken(`${key}:${index}`)) index += 1;
    return `${key}:${index}`;
  }

  private foldersText(): string {
    return this.options.modelsDirs.length > 0 ? this.options.modelsDirs.join(', ') : 'no models folder';
  }
}
