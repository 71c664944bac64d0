import type { Llama } from 'node-llama-cpp';
import {
  computeBufferBytes,
  defaultBatchSize,
  kvCacheBytes,
  vocabularyOverheadBytes,
  type EstimateRequest,
  type MemoryEstimate,
} from './estimateFormula';
import { profileFromFileInfo } from './gguf/ggufProfile';
import { loadNodeLlamaCpp } from './lazyModules';

/**
 * The estimate through node-llama-cpp's GgufInsights, whose V2 methods dry-run llama.cpp's own allocation for the
 * weights and the context (KV cache, compute and output buffers), split by offloaded layers. Mai takes the
 * weights and the split from it, and adds what it leaves out or over-counts: the vocabulary's tables (see
 * `vocabularyOverheadBytes`), and of the CPU compute reserve only what a prompt writes (`computeBufferBytes`;
 * llama.cpp reserves logits for a whole batch, generation writes one row). The KV share comes from the exact f16
 * formula (it matches llama.cpp's reported KV size); the rest of the context is compute. Throws when the file
 * cannot be read; `estimateMemory` then falls back.
 */
export async function estimateWithEngine(
  path: string,
  request: EstimateRequest,
  llama: Llama,
): Promise<MemoryEstimate> {
  const { GgufInsights, readGgufFileInfo } = await loadNodeLlamaCpp();
  const fileInfo = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false });
  const mapped = profileFromFileInfo(fileInfo);
  if (!mapped.ok) throw new Error(mapped.reason);
  const { profile, details } = mapped;
  const insights = await GgufInsights.from(fileInfo, llama);
  const batchSize = request.batchSize ?? defaultBatchSize(request.contextLength);
  const weights = await insights.estimateModelResourceRequirementsV2({ gpuLayers: request.gpuLayers });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize: request.contextLength,
    modelGpuLayers: request.gpuLayers,
    batchSize,
    sequences: 1,
  });

  const layers = Math.max(1, profile.layerCount);
  const kvTotal = kvCacheBytes(profile, request.contextLength, details);
  const kvVram = Math.min(context.gpuVram, (kvTotal * Math.min(request.gpuLayers, layers)) / layers);
  const kvRam = Math.min(context.cpuRam, kvTotal - kvVram);
  const computeVram = Math.max(0, context.gpuVram - kvVram);
  const computeRamReserved = Math.max(0, context.cpuRam - kvRam);
  // The output layer runs on the CPU unless every layer is offloaded (gpuLayers > layerCount); then the CPU keeps
  // only small staging buffers, counted as reserved.
  const outputOnCpu = request.gpuLayers <= profile.layerCount;
  const computeRam = outputOnCpu
    ? Math.min(computeRamReserved, computeBufferBytes(profile, { ...request, batchSize }))
    : computeRamReserved;
  const overhead = vocabularyOverheadBytes(profile.vocabularySize ?? 0, details.mergeCount);
  return {
    ramBytes: Math.round(weights.cpuRam + kvRam + computeRam + overhead),
    vramBytes: Math.round(weights.gpuVram + kvVram + computeVram),
    breakdown: {
      weights: weights.cpuRam + weights.gpuVram,
      kvCache: Math.round(kvRam + kvVram),
      compute: Math.round(computeRam + computeVram),
      overhead,
    },
    method: 'engine',
  };
}
