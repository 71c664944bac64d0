import {
  computeBufferBytes,
  defaultBatchSize,
  gpuComputeBufferBytes,
  kvCacheBytes,
  vocabularyOverheadBytes,
  type ShapeHints,
} from './estimateParts';
import { parseParamsString } from './gguf/parameterCount';
import type { GgufProfile } from './ModelBackend';

export * from './estimateParts';

const f16Bytes = 2;

/** What a load is sized for. `gpuLayers` counts like llama.cpp's n_gpu_layers: layerCount + 1 puts everything on it. */
export interface EstimateRequest {
  contextLength: number;
  gpuLayers: number;
  /** Prompt tokens evaluated per step (llama.cpp's n_ubatch); node-llama-cpp uses min(512, context). */
  batchSize?: number;
}

/** Bytes per part, RAM and VRAM together. */
export interface MemoryBreakdown {
  weights: number;
  kvCache: number;
  /** Compute buffers as far as they are touched in use (see `computeBufferBytes`). */
  compute: number;
  /** The engine's own cost per model: vocabulary tables and runtime structures, always in RAM. */
  overhead: number;
}

export interface MemoryEstimate {
  ramBytes: number;
  vramBytes: number;
  breakdown: MemoryBreakdown;
  /**
   * engine: node-llama-cpp's GgufInsights (llama.cpp dry run); formula: GGUF metadata; size: a listing only;
   * measured: what the model's last load took (see models/measuredEstimate.ts).
   */
  method: 'engine' | 'formula' | 'size' | 'measured';
  /** For a person, where a measured figure came from: "measured 2.1 GiB at its last load (4,096 tokens)". */
  note?: string;
}

/** Shares of the layers on the GPU: repeating layers for weights and KV, plus the output layer at layerCount + 1. */
function gpuShares(layerCount: number, gpuLayers: number) {
  const layers = Math.max(1, layerCount);
  const offloaded = Math.max(0, Math.min(gpuLayers, layers + 1));
  return { weights: offloaded / (layers + 1), kv: Math.min(offloaded, layers) / layers, any: offloaded > 0 };
}

/**
 * Estimate from GGUF metadata alone: the tensors' bytes (the file's size where unknown), the KV cache, the compute
 * buffers and the vocabulary's tables. With mmap the same: the pages of an untied token embedding's unread rows
 * could stay out of RAM, but measured, a prompt touched 55-80 % of Llama 3.1 8B's, so they are all counted. Pure.
 */
export function estimateFromProfile(
  profile: GgufProfile,
  fileSizeBytes: number,
  request: EstimateRequest,
  hints: ShapeHints = {},
): MemoryEstimate {
  const weights = hints.tensorDataBytes ?? fileSizeBytes;
  const kvCache = kvCacheBytes(profile, request.contextLength, hints);
  const compute = computeBufferBytes(profile, request);
  const overhead = vocabularyOverheadBytes(profile.vocabularySize ?? 32_000, hints.mergeCount);
  const share = gpuShares(profile.layerCount, request.gpuLayers);
  // With any layer offloaded llama.cpp runs the graph on the GPU, whose buffer is committed whole.
  const gpuCompute = share.any ? gpuComputeBufferBytes(profile, request, hints) : 0;
  const vramBytes = weights * share.weights + kvCache * share.kv + gpuCompute;
  const ramBytes = weights * (1 - share.weights) + kvCache * (1 - share.kv) + (share.any ? 0 : compute) + overhead;
  return {
    ramBytes: Math.round(ramBytes),
    vramBytes: Math.round(vramBytes),
    breakdown: { weights, kvCache, compute: share.any ? gpuCompute : compute, overhead },
    method: 'formula',
  };
}

/**
 * For a model known only by a listing (size, "7B"): weights = the file, and a KV cache of 64 KiB per token per
 * (billions of parameters)^0.6 — above what grouped-query models need (Qwen2.5 0.5B–7B 12–56 KiB, Llama-3 8B
 * 128 KiB, Llama-3 70B 320 KiB), below old models without GQA (Llama-2 7B 512 KiB). Without a parameter count,
 * ~4.5 bits per weight (Q4_K_M) is assumed. The compute buffer and vocabulary are guessed at typical sizes. Pure.
 */
export function estimateFromListing(
  sizeBytes: number,
  paramsString: string | null,
  request: EstimateRequest,
): MemoryEstimate {
  const parameters = parseParamsString(paramsString) ?? (sizeBytes * 8) / 4.5;
  const kvCache = 64 * 1024 * Math.pow(parameters / 1e9, 0.6) * request.contextLength;
  const batch = request.batchSize ?? defaultBatchSize(request.contextLength);
  const compute = request.contextLength * batch * f16Bytes + 0.05 * sizeBytes;
  const overhead = vocabularyOverheadBytes(64_000);
  const gpuFraction = request.gpuLayers > 0 ? Math.min(1, request.gpuLayers / 33) : 0; // 33: a 7B's layers + output
  const onGpu = gpuFraction * (sizeBytes + kvCache) + (gpuFraction > 0 ? compute : 0);
  const onCpu = (1 - gpuFraction) * (sizeBytes + kvCache) + (gpuFraction > 0 ? 0 : compute) + overhead;
  return {
    ramBytes: Math.round(onCpu),
    vramBytes: Math.round(onGpu),
    breakdown: { weights: sizeBytes, kvCache: Math.round(kvCache), compute: Math.round(compute), overhead },
    method: 'size',
  };
}

/** Ollama's cheap eviction predictor (file size + f16 KV), printed beside Mai's estimate in the bench. Pure. */
export function simplePredictorBytes(fileSizeBytes: number, profile: GgufProfile, contextLength: number): number {
  return fileSizeBytes + kvCacheBytes(profile, contextLength);
}
