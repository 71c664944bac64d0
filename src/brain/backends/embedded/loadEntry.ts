import type { Llama, LlamaContextOptions, LlamaModel, LlamaModelOptions } from 'node-llama-cpp';
import { loadedNodeLlamaCpp } from '../lazyModules';
import { BackendError, type ContextOptions, type KvCacheType, type LoadOptions, type ModelInfo } from '../ModelBackend';
import { chooseChatWrapper } from './chatFormat';
import { SerialQueue } from './serialQueue';
import type { LoadedEntry } from './types';

export interface LoadSettings {
  threads: number;
  defaultContextLength: number;
}

// Weights are most of a load; the context (KV cache, compute buffers) is allocated after them.
const weightsShareOfProgress = 0.9;

/** LoadOptions.gpuOffload as node-llama-cpp's gpuLayers. 'auto' fits as many layers as leave room for the context. */
export function resolveGpuLayers(
  gpuOffload: LoadOptions['gpuOffload'],
  engineHasGpu: boolean,
  contextLength: number,
): LlamaModelOptions['gpuLayers'] {
  if (!engineHasGpu || gpuOffload === 'off') return 0;
  if (typeof gpuOffload === 'object') return gpuOffload.layers;
  return { fitContext: { contextSize: contextLength } };
}

/** The context a load gets when none is named: the trained window, capped (a 128k window's KV cache is gigabytes). */
export function resolveContextLength(requested: number | undefined, info: ModelInfo, defaultCap: number): number {
  if (requested !== undefined) return requested;
  const trained = info.maxContextLength ?? defaultCap;
  return Math.min(trained, defaultCap);
}

/**
 * node-llama-cpp's KV cache options for a type. They are marked experimental there: f16 (llama.cpp's default) sets
 * none; q8_0 and q4_0 quantize keys and values alike, which llama.cpp runs through flash attention (node-llama-cpp's
 * "auto" turns it on where the model and backend support it; where they do not, context creation fails and the
 * caller keeps the previous context). Measured on CPU with node-llama-cpp 3.22.1: the cache shrinks to 53 % and
 * 28 % of f16, as the block sizes say.
 */
export function kvCacheContextOptions(type: KvCacheType | undefined): Partial<LlamaContextOptions> {
  if (type === undefined || type === 'f16') return {};
  const ggmlType = type === 'q8_0' ? 'Q8_0' : 'Q4_0';
  return { experimentalKvCacheKeyType: ggmlType, experimentalKvCacheValueType: ggmlType };
}

function createContext(
  model: LlamaModel,
  contextLength: number,
  kvCacheType: KvCacheType | undefined,
  threads: number,
  signal?: AbortSignal,
) {
  return model.createContext({
    contextSize: contextLength,
    sequences: 1,
    threads,
    ...kvCacheContextOptions(kvCacheType),
    ...(signal ? { createSignal: signal } : {}),
  });
}

/**
 * A new context for a loaded model (another window, another KV cache type) with its weights kept: the old one is
 * disposed first, so both never hold memory at once; if the new one cannot be made, a context like the old one is
 * made again. Runs in the model's queue, after any generation in flight.
 */
export function recreateContext(entry: LoadedEntry, options: ContextOptions, threads: number): Promise<void> {
  return entry.queue.run(async () => {
    const previous = { contextLength: entry.context.contextSize, kvCacheType: entry.kvCacheType };
    const next = {
      contextLength: options.contextLength ?? previous.contextLength,
      kvCacheType: options.kvCacheType ?? previous.kvCacheType,
    };
    await entry.context.dispose();
    try {
      entry.context = await createContext(entry.model, next.contextLength, next.kvCacheType, threads);
      entry.kvCacheType = next.kvCacheType;
    } catch (error) {
      entry.context = await createContext(entry.model, previous.contextLength, previous.kvCacheType, threads);
      throw describeLoadFailure(entry.info, next.contextLength, error);
    } finally {
      entry.sequence = entry.context.getSequence();
    }
  });
}

/** Rejects with the signal's reason once it aborts, so a load stuck inside the engine still ends on time. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function describeLoadFailure(info: ModelInfo, contextLength: number, error: unknown): BackendError {
  // Only node-llama-cpp throws here, so it is loaded.
  if (error instanceof loadedNodeLlamaCpp().InsufficientMemoryError) {
    return new BackendError(
      'load_failed',
      `not enough memory to load ${info.key} with a ${contextLength}-token context: ${error.message}`,
      'embedded',
      { cause: error },
    );
  }
  return new BackendError('load_failed', `could not load ${info.key}: ${String(error)}`, 'embedded', { cause: error });
}

/**
 * Loads a model and its one context. Progress goes 0 → 1 (1 only once the context exists); `signal` cancels and
 * `timeoutMs` bounds the whole load. Whatever the engine finishes after a cancel or timeout is disposed.
 */
export async function loadEntry(
  llama: Llama,
  info: ModelInfo,
  identifier: string,
  options: LoadOptions,
  settings: LoadSettings,
): Promise<LoadedEntry> {
  const modelPath = info.path;
  if (!modelPath) throw new BackendError('not_found', `${info.key} has no file to load`, 'embedded');
  if (options.signal?.aborted) throw new BackendError('cancelled', `loading ${info.key} was cancelled`, 'embedded');
  const contextLength = resolveContextLength(options.contextLength, info, settings.defaultContextLength);
  let progress = 0;
  const report = (fraction: number) => {
    // The engine's callback can repeat or step back between phases; people expect a bar that only grows.
    if (fraction < progress) return;
    progress = fraction;
    options.onProgress?.(fraction);
  };
  const timeout = options.timeoutMs === undefined ? null : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, timeout].filter((signal): signal is AbortSignal => signal != null);
  const signal = AbortSignal.any(signals);
  // With neither a signal nor a timeout nothing can abort: no need to race (and keep a listener alive).
  const aborted = signals.length > 0 ? [untilAborted(signal)] : [];

  report(0);
  const loading = (async () => {
    const model = await llama.loadModel({
      modelPath,
      gpuLayers: resolveGpuLayers(options.gpuOffload, llama.gpu !== false, contextLength),
      onLoadProgress: (fraction) => report(fraction * weightsShareOfProgress),
      loadSignal: signal,
    });
    try {
      const context = await createContext(model, contextLength, options.kvCacheType, settings.threads, signal);
      return { model, context };
    } catch (error) {
      await model.dispose();
      throw error;
    }
  })();
  try {
    const { model, context } = await Promise.race([loading, ...aborted]);
    report(1);
    return {
      identifier,
      key: info.key,
      info,
      model,
      context,
      sequence: context.getSequence(),
      chatWrapper: chooseChatWrapper(model),
      gpuLayers: model.gpuLayers,
      kvCacheType: options.kvCacheType ?? 'f16',
      queue: new SerialQueue(),
      active: null,
    };
  } catch (error) {
    // The race may have been lost by a load that still completes: free it when it does.
    loading.then(({ model }) => model.dispose()).catch(() => undefined);
    if (timeout?.aborted) {
      throw new BackendError('timeout', `loading ${info.key} took longer than ${options.timeoutMs} ms`, 'embedded');
    }
    if (options.signal?.aborted) throw new BackendError('cancelled', `loading ${info.key} was cancelled`, 'embedded');
    throw describeLoadFailure(info, contextLength, error);
  }
}
