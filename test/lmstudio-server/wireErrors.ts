/**
 * Errors as LM Studio serialises them (lmstudio-protocol.md §3.4): always an object, with both `title` (read by the
 * SDK's friendly deserializer) and `rootTitle` (read by fromSerializedError).
 */
export interface SerializedError {
  title: string;
  rootTitle: string;
  cause?: string;
  suggestion?: string;
  displayData?: Record<string, unknown>;
}

export function wireError(
  title: string,
  extra: { cause?: string; suggestion?: string; displayData?: Record<string, unknown> } = {},
): SerializedError {
  return { title, rootTitle: title, ...extra };
}

/** A failure a handler throws on purpose; everything else becomes an "internal" error with its message. */
export class WireFailure extends Error {
  constructor(readonly serialized: SerializedError) {
    super(serialized.title);
  }
}

export const fail = (title: string, extra?: Parameters<typeof wireError>[1]): WireFailure =>
  new WireFailure(wireError(title, extra));

export function toSerializedError(error: unknown): SerializedError {
  if (error instanceof WireFailure) return error.serialized;
  return wireError(error instanceof Error ? error.message : String(error));
}

export const pathNotFound = (path: string, available: string[]) =>
  fail(`Cannot find a model with path "${path}"`, {
    displayData: {
      code: 'generic.pathNotFound',
      path,
      availablePathsSample: available.slice(0, 10),
      totalModels: available.length,
    },
  });

export const identifierNotFound = (identifier: string, loaded: string[]) =>
  fail(`Cannot find a model with identifier "${identifier}"`, {
    displayData: {
      code: 'generic.identifierNotFound',
      identifier,
      loadedModelsSample: loaded.slice(0, 10),
      totalLoadedModels: loaded.length,
    },
  });

export const noModelMatchingQuery = (query: Record<string, unknown>, loaded: string[]) =>
  fail('No loaded model satisfies all requirements specified in the query.', {
    displayData: {
      code: 'generic.noModelMatchingQuery',
      query,
      loadedModelsSample: loaded.slice(0, 10),
      totalLoadedModels: loaded.length,
    },
  });

export const specificModelUnloaded = () =>
  fail('This model has already been unloaded', { displayData: { code: 'generic.specificModelUnloaded' } });
