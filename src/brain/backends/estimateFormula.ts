import { parseParamsString } from './gguf/parameterCount';
import type { GgufProfile } from './ModelBackend';

/** What a load is sized for. `gpuLayers` counts like llama.cpp's n_gpu_layers: layerCount + 1 puts everything on it. */
export interface EstimateRequest {
  contextLength: number;
  gpuLayers: number;
  /** Prompt tokens evaluated per step (llama.cpp's n_ubatch); node-llama-cpp uses min(512, context). */
  batchSize?: number;
  /**
   * Whether the file is mapped (mmap) rather than read into memory: true by default, as both engines load. Mapped,
   * the weights the model never reads (most rows of an untied token embedding) take no RAM.
   */
  mmap?: boolean;
}

/** Bytes per part, RAM and VRAM together. */
export interface MemoryBreakdown {
  weights: number;
  kvCache: number;
  /** Compute buffers as far as they are touched in use (see `untouchedLogitsBytes`). */
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

/** Extra shape facts the formula uses when known; defaults follow the llama family. */
export interface ShapeHints {
  headDimK?: number;
  headDimV?: number;
  feedForwardLength?: number;
}

const mib = 2 ** 20;
const f16Bytes = 2;
const f32Bytes = 4;

export const defaultBatchSize = (contextLength: number) => Math.min(512, contextLength);

/**
 * The engine's cost beyond the buffers llama.cpp reports: its vocabulary tables and node-llama-cpp's JS copy of the
 * token list. Measured as RSS with node-llama-cpp 3.22.1: 5–8 MiB for a 512-token vocabulary, 15–35 MiB for a
 * 32,000-token one (the spread is V8's heap: less when an earlier header read already grew it, as discovery does).
 * 6 MiB + 500 bytes per token sits inside both ranges.
 */
export function runtimeOverheadBytes(vocabularySize: number): number {
  return 6 * mib + 500 * vocabularySize;
}

/** KV cache in f16: K and V per layer, each kvHeads × headDim wide, one row per context position (llama_kv_cache). */
export function kvCacheBytes(profile: GgufProfile, contextLength: number, hints: ShapeHints = {}): number {
  const naturalHeadDim = profile.headCount > 0 ? profile.embeddingLength / profile.headCount : 0;
  const widthPerPosition =
    profile.headCountKv * ((hints.headDimK ?? naturalHeadDim) + (hints.headDimV ?? naturalHeadDim));
  return profile.layerCount * widthPerPosition * contextLength * f16Bytes;
}

/**
 * llama.cpp reserves its compute buffer for a whole batch of outputs, but generation asks for one logits row per
 * step, so the other rows' pages are never written and never become resident (measured: llama-2-tiny-random's
 * 62.5 MiB buffer added < 2 MiB RSS even after a 600-token prompt). Only RAM behaves so; VRAM is committed.
 */
export function untouchedLogitsBytes(vocabularySize: number, batchSize: number): number {
  return vocabularySize * Math.max(0, batchSize - 1) * f32Bytes;
}

/**
 * The resident CPU compute buffer for a full prompt batch with flash attention (llama.cpp's default where
 * supported): the f16 attention mask (context × batch) plus the batch's activations — about 6 embedding-wide and
 * 3 feed-forward-wide f32 rows per token live at the peak — plus one logits row. Calibrated on stories260K, whose
 * reported buffers are 2.0 MiB at 512 and 9.5 MiB at 8192 tokens (this gives 2.7 and 10.2).
 */
export function computeBufferBytes(profile: GgufProfile, request: EstimateRequest, hints: ShapeHints = {}): number {
  const batch = request.batchSize ?? defaultBatchSize(request.contextLength);
  const feedForward = hints.feedForwardLength ?? 4 * profile.embeddingLength;
  const mask = request.contextLength * batch * f16Bytes;
  const activations = batch * (6 * profile.embeddingLength + 3 * feedForward) * f32Bytes;
  return mask + activations + (profile.vocabularySize ?? 0) * f32Bytes;
}

/** Shares of the layers on the GPU: repeating layers for weights and KV, plus the output layer at layerCount + 1. */
function gpuShares(layerCount: number, gpuLayers: number) {
  const layers = Math.max(1, layerCount);
  const offloaded = Math.max(0, Math.min(gpuLayers, layers + 1));
  return { weights: offloaded / (layers + 1), kv: Math.min(offloaded, layers) / layers, any: offloaded > 0 };
}

/** Estimate from GGUF metadata alone. Weights ≈ file size (tensor data plus a header of well under 1 %). Pure. */
export function estimateFromProfile(
  profile: GgufProfile,
  fileSizeBytes: number,
  request: EstimateRequest,
  hints: ShapeHints = {},
): MemoryEstimate {
  const weights = fileSizeBytes;
  const kvCache = kvCacheBytes(profile, request.contextLength, hints);
  const compute = computeBufferBytes(profile, request, hints);
  const overhead = runtimeOverheadBytes(profile.vocabularySize ?? 32_000);
  const share = gpuShares(profile.layerCount, request.gpuLayers);
  // With any layer offloaded llama.cpp runs the graph on the GPU, whose buffer holds every logits row for real.
  const batch = request.batchSize ?? defaultBatchSize(request.contextLength);
  const gpuCompute = share.any ? compute + untouchedLogitsBytes(profile.vocabularySize ?? 0, batch) : 0;
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
  const overhead = runtimeOverheadBytes(64_000);
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
