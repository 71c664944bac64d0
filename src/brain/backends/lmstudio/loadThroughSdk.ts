import type { LMStudioClient } from '@lmstudio/sdk';
import { BackendError, type LoadOptions } from '../ModelBackend';
import { withDeadline } from './deadline';
import { toLoadConfig } from './loadedModels';

export interface SdkLoadExtras {
  /** LM Studio unloads the instance after this long unused; every use re-arms it. Sent in whole seconds (≥ 1). */
  idleTtlMs: number;
  /** The instance's name; LM Studio's own default (the key, then `key:2`…) when absent. */
  identifier?: string;
}

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
  extras: SdkLoadExtras,
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
      // The SDK takes seconds and sends ttlMs = ttl * 1000.
      ttl: Math.max(1, Math.round(extras.idleTtlMs / 1000)),
      ...(extras.identifier === undefined ? {} : { identifier: extras.identifier }),
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
