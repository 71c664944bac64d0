import type { Llama } from 'node-llama-cpp';
import { estimateWithEngine } from './estimateEngine';
import { estimateFromListing, estimateFromProfile, type EstimateRequest, type MemoryEstimate } from './estimateFormula';
import type { ModelInfo } from './ModelBackend';

export * from './estimateFormula';
export { estimateWithEngine } from './estimateEngine';

export interface EstimateDeps {
  /** The engine instance; with it, readable files are estimated through node-llama-cpp's GgufInsights. */
  llama?: Llama;
}

/**
 * Memory a model needs at a context length: through the engine where it can read the file, from GGUF metadata
 * otherwise, from the listing's size last. Never throws for an unreadable file; it falls back a level.
 */
export async function estimateMemory(
  model: ModelInfo,
  request: EstimateRequest,
  deps: EstimateDeps = {},
): Promise<MemoryEstimate> {
  if (deps.llama && model.path && model.usable) {
    const estimate = await estimateWithEngine(model.path, request, deps.llama).catch(() => null);
    if (estimate) return estimate;
  }
  if (model.gguf) return estimateFromProfile(model.gguf, model.sizeBytes, request);
  return estimateFromListing(model.sizeBytes, model.paramsString, request);
}
