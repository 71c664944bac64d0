import type { LMStudioClient } from '@lmstudio/sdk';
import { BackendError, type LoadOptions } from '../ModelBackend';
import { withDeadline } from './deadline';
import { toLoadConfig } from './loadedModels';

/**
 * One `loadModel` channel, bounded by `timeoutMs`, cancellable through `options.signal`. Resolves to LM Studio's
 * identifier for the new instance. On abort the SDK sends `{type:"cancel"}` and rejects at once with the abort reason
 * (a BackendError 'cancelled' here); on expiry it is told to cancel the same way, so LM Studio stops loading too.
 */
export async function loadThroughSdk(
  client: LMStudioClient,
  key: string,
  options: LoadOptions,
  timeoutMs: number,
): Promise<string> {
  const sdkAbort = new AbortController();
  const forwardAbort = () => sdkAbort.abort(new BackendError('cancelled', `Loading ${key} was cancelled.`, 'lmstudio'));
  if (options.signal?.aborted) forwardAbort();
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  let lastFraction: number | null = null;
  try {
    const loading = client.llm.load(key, {
      config: toLoadConfig(options),
      signal: sdkAbort.signal,
      verbose: false,
      onProgress: (fraction) => {
        lastFraction = fraction;
        options.onProgress?.(fraction);
      },
    });
    const model = await withDeadline(loading, timeoutMs, `load ${key}`, () => sdkAbort.abort());
    // The SDK drops progress it cannot parse and loads anyway; a bar stuck short of full would be a lie.
    if (lastFraction !== 1) options.onProgress?.(1);
    return model.identifier;
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
  }
}
