/**
 * The one interface Mai's brain uses to reach an engine: LM Studio (through @lmstudio/sdk), the embedded llama.cpp
 * engine (node-llama-cpp), Ollama and OpenAI-compatible servers (over HTTP), on this machine or on hosts.
 * Everything above it (catalog, selection, the model manager) is engine-agnostic.
 */

import type { BackendId, BackendStatus, ResponseStats } from '../../shared/contract';
import type { EstimateRequest, MemoryEstimate } from './estimateFormula';

export type { BackendId, ResponseStats, StopReason } from '../../shared/contract';

/** Shape facts read from a GGUF header; what memory estimates are computed from. */
export interface GgufProfile {
  architecture: string;
  /** Total parameters where the file says (general.parameter_count) or they can be counted from tensors. */
  parameterCount: number | null;
  layerCount: number;
  embeddingLength: number;
  headCount: number;
  headCountKv: number;
  /** Trained context window (`<arch>.context_length`). */
  contextLength: number;
  vocabularySize: number | null;
  /** e.g. "Q4_K_M", "F16", from general.file_type. */
  quantization: string | null;
}

export interface ModelInfo {
  /** LM Studio's model key, or for a GGUF found on disk its path below the models folder without ".gguf". */
  key: string;
  displayName: string;
  backend: BackendId;
  /** The GGUF file (embedded) or LM Studio's own path for the model. */
  path: string | null;
  sizeBytes: number;
  /** e.g. "7B", as LM Studio writes it; null when unknown. */
  paramsString: string | null;
  architecture: string | null;
  quantization: string | null;
  maxContextLength: number | null;
  vision: boolean;
  trainedForToolUse: boolean;
  /** False for a file Mai cannot load (corrupt, truncated, unsupported); the reason says why for a person. */
  usable: boolean;
  unusableReason: string | null;
  gguf: GgufProfile | null;
  /**
   * Set for a model that runs on another machine (a host of hosts.yaml, or an OpenAI-compatible server): its memory
   * is that machine's, never this one's. Absent: the model runs here.
   */
  host?: ModelHost;
}

/** The machine a model runs on when it is not this one, and what Mai knows of its memory. */
export interface ModelHost {
  /** The host's name in hosts.yaml, or the server's address for an engine set by URL alone. */
  name: string;
  /** Memory the host gives models (hosts.yaml `memory_gb`); null where nobody said. */
  capacityBytes: number | null;
  /** What its loaded models use now, as its engine reports it (Ollama's /api/ps); null where it does not say. */
  usedBytes: number | null;
}

export interface LoadedModel {
  /** The handle for respond/unload/countTokens: LM Studio's instance identifier, or the embedded engine's. */
  identifier: string;
  key: string;
  backend: BackendId;
  contextLength: number;
  /**
   * True when the engine handed over an instance that was already loaded (e.g. by the person in LM Studio) instead of
   * loading a copy: unloading it later only lets go of it, and no memory comes back.
   */
  reused?: boolean;
  /** For the log and a person: why an instance was reused, or why another copy was loaded beside one. */
  note?: string;
  /** Memory it really takes, where the engine reports it (Ollama's /api/ps `size` and `size_vram`). */
  memory?: { totalBytes: number; vramBytes: number };
  /** The KV cache's type where the engine was asked for one other than f16. */
  kvCacheType?: KvCacheType;
}

/**
 * How the KV cache stores keys and values: llama.cpp's f16 (its default), or quantized to q8_0 (34 bytes per 32
 * values, 53 % of f16) or q4_0 (18 per 32, 28 %), a cheaper step under memory pressure than switching models.
 */
export type KvCacheType = 'f16' | 'q8_0' | 'q4_0';

/** What can change on a loaded model without reloading its weights (an engine that cannot, reloads). */
export interface ContextOptions {
  contextLength?: number;
  kvCacheType?: KvCacheType;
}

export interface LoadOptions {
  contextLength?: number;
  /** f16 by default; see KvCacheType. Engines that cannot quantize the cache ignore it. */
  kvCacheType?: KvCacheType;
  /** 'auto' lets the engine place layers on a GPU where one exists; 'off' keeps everything on the CPU. */
  gpuOffload?: 'auto' | 'off' | { layers: number };
  /** Called with 0..1 as the load progresses. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface RespondOptions {
  /** The answer's own budget; reasoning (maxReasoningTokens) comes on top of it. */
  maxTokens?: number;
  /**
   * Tokens a thinking model (Qwen3-style `<think>`) may spend reasoning before it answers, on top of maxTokens.
   * Engines and models that do not reason ignore it. Unset: reasoning shares maxTokens with the answer.
   */
  maxReasoningTokens?: number;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Each streamed piece of text as it is generated. */
  onFragment?: (text: string) => void;
  timeoutMs?: number;
}

export interface RespondResult {
  /** The answer only: never the model's reasoning, never empty (an empty answer is BackendError 'empty_answer'). */
  text: string;
  stats: ResponseStats;
  /** What a thinking model reasoned before answering, kept apart from the answer; absent when it did not reason. */
  reasoning?: string;
}

/** The contract's backend status; `detail` is for a person ("LM Studio 0.3.x at ws://…", "not running …"). */
export type BackendHealth = BackendStatus;

export interface ModelBackend {
  readonly id: BackendId;
  health(): Promise<BackendHealth>;
  listModels(): Promise<ModelInfo[]>;
  listLoaded(): Promise<LoadedModel[]>;
  load(key: string, options?: LoadOptions): Promise<LoadedModel>;
  unload(identifier: string): Promise<void>;
  respond(identifier: string, messages: ChatMessage[], options?: RespondOptions): Promise<RespondResult>;
  /** Counted with the model's own tokenizer. */
  countTokens(identifier: string, text: string): Promise<number>;
  contextLength(identifier: string): Promise<number>;
  /**
   * Optional: a new context for a loaded model (another window, another KV cache type) with the weights kept in
   * memory: a cheaper step under pressure than a reload. Engines without it are reloaded with the new options.
   */
  reconfigure?(identifier: string, options: ContextOptions): Promise<LoadedModel>;
  /** Unloads what this backend loaded and releases connections/native resources. */
  close(): Promise<void>;
  /**
   * Optional: the engine's own memory estimate for a model file (llama.cpp's, for a file it can read), or null
   * where it has none; the catalog falls back to the formula from GGUF metadata.
   */
  estimateMemory?(model: ModelInfo, request: EstimateRequest): Promise<MemoryEstimate | null>;
  /**
   * Optional: true where listLoaded's `memory` is the whole truth (Ollama's /api/ps), so nothing loaded means nothing
   * used; elsewhere a host's use is unknown rather than zero.
   */
  readonly reportsLoadedMemory?: boolean;
}

export type BackendErrorCode =
  | 'not_running'
  | 'refused'
  | 'load_failed'
  | 'timeout'
  | 'cancelled'
  | 'disconnected'
  | 'not_found'
  | 'unusable'
  /** The model ended without an answer (e.g. it spent its budget thinking): another model should answer. */
  | 'empty_answer'
  /** The engine stopped streaming mid-answer; it is skipped until a health check passes. */
  | 'stalled'
  /** No model could answer: none usable, or every one tried failed. */
  | 'no_model'
  /** The model needs more memory than the machine has free, or the conversation needs a larger window. */
  | 'does_not_fit'
  | 'internal';

/** Errors named for a person; `code` lets the model manager decide (fall back, retry, give up). */
export class BackendError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    message: string,
    readonly backend: BackendId,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackendError';
  }
}
