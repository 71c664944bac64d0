import { InsufficientMemoryError, type Llama, type LlamaModelOptions } from 'node-llama-cpp';
import { BackendError, type LoadOptions, type ModelInfo } from '../ModelBackend';
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

/** Rejects with the signal's reason once it aborts, so a load stuck inside the engine still ends on time. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function describeLoadFailure(info: ModelInfo, contextLength: number, error: unknown): BackendError {
  if (error instanceof InsufficientMemoryError) {
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
      const context = await model.createContext({
        contextSize: contextLength,
        sequences: 1,
        threads: settings.threads,
        createSignal: signal,
      });
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
