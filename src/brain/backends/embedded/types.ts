import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { KvCacheType, LoadOptions, ModelInfo, RespondOptions, ResponseStats } from '../ModelBackend';
import type { SerialQueue } from './serialQueue';

export interface EmbeddedBackendOptions {
  /** Folders to scan for GGUF files (see discovery.ts `defaultModelsDirs`). */
  modelsDirs: readonly string[];
  /** CPU threads for llama.cpp; default `defaultThreadCount(cores)` (one core is left to the JS thread). */
  threads?: number;
  /** 'auto' uses a GPU where node-llama-cpp finds a prebuilt binary for it; false stays on the CPU. Never builds. */
  gpu?: 'auto' | false;
  /** Share an engine instance (e.g. with a test server in the same process); it is not disposed by close(). */
  llama?: Llama;
  /** Context length when a load names none: the model's trained window, capped here to keep the KV cache small. */
  defaultContextLength?: number;
  maxDepth?: number;
  /** Where GGUF headers are kept between runs (see insightCache.ts); in memory only without one. */
  headerCacheFile?: string;
  clock?: Clock;
  logger?: Logger;
}

export interface EmbeddedLoadOptions extends LoadOptions {
  /** Instance identifier to use (LM Studio lets clients name instances); default the key, then "key:2", "key:3"… */
  identifier?: string;
}

/** One streamed piece with the number of tokens it came from (LM Studio fragments carry `tokensCount`). */
export interface TextChunk {
  text: string;
  tokenCount: number;
}

export interface EmbeddedGenerateOptions extends RespondOptions {
  onChunk?: (chunk: TextChunk) => void;
  /** Generation ends when one of these appears; the stop string itself is not part of the text. */
  stopStrings?: readonly string[];
  topK?: number;
  topP?: number;
}

export interface EmbeddedResponseStats extends ResponseStats {
  totalTimeMs: number;
  /** The stop string that ended generation, when one did (stopReason 'other'). */
  stopString: string | null;
  gpuLayers: number;
}

export interface EmbeddedResult {
  text: string;
  stats: EmbeddedResponseStats;
  /** A thinking model's thought segments, kept out of `text`; absent when it did not think. */
  reasoning?: string;
}

/** A model held in memory with its one context and sequence. */
export interface LoadedEntry {
  identifier: string;
  key: string;
  info: ModelInfo;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  chatWrapper: ChatWrapper;
  gpuLayers: number;
  /** The KV cache's type: f16 unless the load (or a reconfigure) asked for a quantized one. */
  kvCacheType: KvCacheType;
  queue: SerialQueue;
  /** The generation in flight, so unload can stop it before freeing the model. */
  active: AbortController | null;
}
