import type { ModelListing, ResourceSample } from '../../shared/contract';
import type { EstimateRequest, MemoryEstimate } from '../backends/estimate';
import type { BackendHealth, LoadedModel, ModelBackend, ModelInfo } from '../backends/ModelBackend';
import type { ModelEntry, ModelsConfig } from '../config';
import { capabilitiesFor, categoryFor } from './classify';
import { fitsNow, type FitMargins } from './fit';

/**
 * The context Mai loads a model with unless a conversation needs more: 4k tokens holds a long chat turn with
 * history, and keeps the KV cache of even a large model under ~1 GiB (Ollama defaults to 4k below 23 GiB VRAM).
 */
export const defaultWorkingContextTokens = 4096;

/** What one backend offered when asked; `models` is empty when it is not ready. */
export interface BackendListing {
  backend: ModelBackend;
  health: BackendHealth;
  models: ModelInfo[];
  loaded: LoadedModel[];
}

export interface CatalogInputs {
  listings: BackendListing[];
  config: ModelsConfig;
  sample: ResourceSample;
  estimate: (model: ModelInfo, request: EstimateRequest) => Promise<MemoryEstimate>;
  margins?: FitMargins;
}

/** The file a model comes from, as both backends can name it: LM Studio's relative path and the embedded key. */
function fileKey(model: ModelInfo): string | null {
  if (model.backend === 'embedded') return model.key;
  return model.path ? model.path.replace(/\\/g, '/').replace(/\.gguf$/i, '') : null;
}

/**
 * One entry per model: the same GGUF seen by LM Studio and by the embedded engine is LM Studio's while it is
 * connected (it already serves the file), the embedded engine's otherwise.
 */
export function mergeListings(listings: readonly BackendListing[]): MergedEntry[] {
  const lmStudio = listings.filter((l) => l.backend.id === 'lmstudio' && l.health.status === 'ready');
  const servedByLmStudio = new Set(lmStudio.flatMap((l) => l.models.map(fileKey)).filter((k) => k !== null));
  const entries: MergedEntry[] = [];
  for (const listing of listings) {
    for (const model of listing.models) {
      if (model.backend === 'embedded' && servedByLmStudio.has(model.key)) continue;
      const instances = listing.loaded.filter((l) => l.key === model.key);
      const loadedContext = instances.length ? Math.max(...instances.map((l) => l.contextLength)) : null;
      entries.push({ model, loaded: instances.length > 0, loadedContextLength: loadedContext });
    }
  }
  return entries;
}

export interface MergedEntry {
  model: ModelInfo;
  loaded: boolean;
  /** The largest window of its loaded instances; null when none is loaded. */
  loadedContextLength: number | null;
}

/** The context Mai would use for this model: its working default, within what the model was trained for. */
export function workingContextLength(model: ModelInfo, configured: ModelEntry | undefined): number {
  const window = model.maxContextLength ?? configured?.contextWindowTokens ?? defaultWorkingContextTokens;
  return Math.min(window, defaultWorkingContextTokens);
}

/** Every layer on the GPU where there is one (the engines place them); llama.cpp counts the output layer too. */
function gpuLayersFor(model: ModelInfo, sample: ResourceSample): number {
  if (sample.gpus.length === 0) return 0;
  return (model.gguf?.layerCount ?? 998) + 1;
}

export async function buildCatalog(inputs: CatalogInputs): Promise<ModelListing[]> {
  const configured = new Map(inputs.config.models.map((m) => [m.key, m]));
  const entries = mergeListings(inputs.listings);
  return Promise.all(
    entries.map(async ({ model, loaded, loadedContextLength }): Promise<ModelListing> => {
      const entry = configured.get(model.key);
      const base = {
        key: model.key,
        displayName: entry?.displayName ?? model.displayName,
        backend: model.backend,
        category: categoryFor(model, entry),
        sizeBytes: model.sizeBytes,
        contextWindow: model.maxContextLength ?? entry?.contextWindowTokens ?? null,
        capabilities: capabilitiesFor(model, entry),
        loaded,
        usable: model.usable,
      };
      if (!model.usable) {
        return { ...base, estimate: null, fits: false, reason: model.unusableReason ?? 'unusable' };
      }
      const contextLength = workingContextLength(model, entry);
      const estimate = await inputs.estimate(model, { contextLength, gpuLayers: gpuLayersFor(model, inputs.sample) });
      // A loaded instance with room for the working context costs nothing more (Mai reuses it); one with a smaller
      // window would mean loading a second copy, so it is checked like any other model.
      const reusable = loadedContextLength !== null && loadedContextLength >= contextLength;
      const verdict = reusable
        ? { fits: true, reason: 'loaded now' }
        : fitsNow(estimate, inputs.sample, undefined, inputs.margins);
      return {
        ...base,
        estimate: {
          ramBytes: estimate.ramBytes,
          vramBytes: estimate.vramBytes,
          contextLength,
          method: estimate.method,
        },
        ...verdict,
      };
    }),
  );
}
