import type { ModelListing, ResourceSample } from '../../shared/contract';
import type { EstimateRequest, MemoryEstimate } from '../backends/estimate';
import type { BackendHealth, LoadedModel, ModelBackend, ModelInfo } from '../backends/ModelBackend';
import type { ModelEntry, ModelsConfig } from '../config';
import { capabilitiesFor, categoryFor } from './classify';
import { fitsNow, type FitMargins } from './fit';
import { hostFit } from './hostFit';

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
  /** False where the power policy keeps models off the GPU (on battery): estimate them all in RAM, as they load. */
  gpuOffload?: boolean;
}

/** The file a model comes from, as both backends can name it: LM Studio's relative path and the embedded key. */
function fileKey(model: ModelInfo): string | null {
  if (model.backend === 'embedded') return model.key;
  return model.path ? model.path.replace(/\\/g, '/').replace(/\.gguf$/i, '') : null;
}

/**
 * One entry per model: the same GGUF seen by LM Studio and by the embedded engine is LM Studio's while it is
 * connected (it already serves the file), the embedded engine's otherwise. Only this machine's LM Studio counts: a
 * host's serves its own copy. A key listed twice (LM Studio's REST set as MAI_OPENAI_URL beside LM Studio itself)
 * is the first engine's, in the order of preference.
 */
export function mergeListings(listings: readonly BackendListing[]): MergedEntry[] {
  const lmStudio = listings.filter((l) => l.backend.id === 'lmstudio' && l.health.status === 'ready');
  const here = (model: ModelInfo) => model.host === undefined;
  const servedByLmStudio = new Set(
    lmStudio.flatMap((l) => l.models.filter(here).map(fileKey)).filter((k) => k !== null),
  );
  const keys = new Set<string>();
  const entries: MergedEntry[] = [];
  for (const listing of listings) {
    for (const model of listing.models) {
      if (model.backend === 'embedded' && servedByLmStudio.has(model.key)) continue;
      if (keys.has(model.key)) continue;
      keys.add(model.key);
      const instances = listing.loaded.filter((l) => l.key === model.key);
      const loadedContext = instances.length ? Math.max(...instances.map((l) => l.contextLength)) : null;
      const reported = instances.find((l) => l.memory !== undefined)?.memory;
      const loadedBytes = reported ? reported.totalBytes : null;
      entries.push({ model, loaded: instances.length > 0, loadedContextLength: loadedContext, loadedBytes });
    }
  }
  return entries;
}

export interface MergedEntry {
  model: ModelInfo;
  loaded: boolean;
  /** The largest window of its loaded instances; null when none is loaded. */
  loadedContextLength: number | null;
  /** What a loaded instance really takes, where its engine reports it (Ollama's /api/ps); null otherwise. */
  loadedBytes: number | null;
}

/** The context Mai would use for this model: its working default, within what the model was trained for. */
export function workingContextLength(model: ModelInfo, configured: ModelEntry | undefined): number {
  const window = model.maxContextLength ?? configured?.contextWindowTokens ?? defaultWorkingContextTokens;
  return Math.min(window, defaultWorkingContextTokens);
}

/** Every layer on the GPU where there is one (the engines place them); llama.cpp counts the output layer too. */
function gpuLayersFor(model: ModelInfo, sample: ResourceSample, gpuOffload: boolean): number {
  if (sample.gpus.length === 0 || !gpuOffload) return 0;
  return (model.gguf?.layerCount ?? 998) + 1;
}

export async function buildCatalog(inputs: CatalogInputs): Promise<ModelListing[]> {
  const configured = new Map(inputs.config.models.map((m) => [m.key, m]));
  const entries = mergeListings(inputs.listings);
  return Promise.all(
    entries.map(async ({ model, loaded, loadedContextLength, loadedBytes }): Promise<ModelListing> => {
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
      // A host's GPUs are its own: its models are estimated whole, and judged against the host's memory.
      const gpuLayers = model.host ? 0 : gpuLayersFor(model, inputs.sample, inputs.gpuOffload ?? true);
      const estimate = await inputs.estimate(model, { contextLength, gpuLayers });
      // A loaded instance with room for the working context costs nothing more (Mai reuses it); one with a smaller
      // window would mean loading a second copy, so it is checked like any other model.
      const reusable = loadedContextLength !== null && loadedContextLength >= contextLength;
      if (model.host) {
        const host = model.host;
        return {
          ...base,
          ...hostFit({ host, estimate, contextLength, reusable, loadedBytes, sizeBytes: model.sizeBytes }),
        };
      }
      const verdict = reusable
        ? { fits: true, reason: 'loaded now' }
        : fitsNow(estimate, inputs.sample, undefined, inputs.margins);
      const measured = estimate.method === 'measured';
      return {
        ...base,
        estimate: {
          ramBytes: estimate.ramBytes,
          vramBytes: estimate.vramBytes,
          contextLength,
          method: estimate.method,
          source: measured ? 'measured' : 'estimate',
        },
        ...verdict,
        // Where the figure came from, when it is a measurement: "needs 2.1 GiB RAM; … (measured … at its last load)".
        ...(measured && estimate.note ? { reason: `${verdict.reason} (${estimate.note})` } : {}),
      };
    }),
  );
}
