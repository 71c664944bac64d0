/**
 * The parts of a model's memory, each as llama.cpp (node-llama-cpp 3.22.1) lays it out, calibrated against
 * bench/estimate on Llama 3.2 1B/3B, Qwen3 4B and Llama 3.1 8B shapes (Q4_K_M, Q8_0, F16) at 2k-32k tokens, the
 * fixtures, and two Llama-2-vocabulary models of 56M and 245M parameters. Pure.
 */
import type { GgufProfile } from './ModelBackend';

/** Extra shape facts the formulas use when known (GgufDetails has them all); defaults follow the llama family. */
export interface ShapeHints {
  headDimK?: number | null;
  headDimV?: number | null;
  feedForwardLength?: number | null;
  /** The tensors' bytes; the file's size (a few MB of header more) stands in when unknown. */
  tensorDataBytes?: number | null;
  /** BPE merges of the tokenizer (0 for SentencePiece); unknown: as many as tokens (a typical BPE vocabulary). */
  mergeCount?: number | null;
}

const mib = 2 ** 20;
const f16Bytes = 2;
const f32Bytes = 4;

export const defaultBatchSize = (contextLength: number) => Math.min(512, contextLength);

/**
 * What a load costs beyond weights, KV cache and compute buffers: llama.cpp's vocabulary tables (token texts, the
 * token-to-id map, the BPE merge ranks) and node-llama-cpp's JS copy of the header, which holds every token and
 * merge as a string. Fitted on the load's own growth before the context: 6-8 MiB for a 512-token vocabulary,
 * 28-37 MiB for Llama 2's 32,000 tokens, 111-148 MiB for Qwen3's 151,936 tokens + 151,387 merges and 143-194 MiB
 * for Llama 3's 128,256 + 280,147 (the spread is malloc's and V8's heap growing in steps of ~50 MiB). Linear in
 * both counts, 6 MiB + 640 B per token + 280 B per merge, is within 40 MiB of every one of them.
 */
export function vocabularyOverheadBytes(vocabularySize: number, mergeCount: number | null = null): number {
  return 6 * mib + 640 * vocabularySize + 280 * (mergeCount ?? vocabularySize);
}

/** KV cache in f16: K and V per layer, each kvHeads × headDim wide, one row per context position (llama_kv_cache). */
export function kvCacheBytes(profile: GgufProfile, contextLength: number, hints: ShapeHints = {}): number {
  const naturalHeadDim = profile.headCount > 0 ? profile.embeddingLength / profile.headCount : 0;
  const widthPerPosition =
    profile.headCountKv * ((hints.headDimK ?? naturalHeadDim) + (hints.headDimV ?? naturalHeadDim));
  return profile.layerCount * widthPerPosition * contextLength * f16Bytes;
}

/**
 * The part of the CPU compute buffer a full prompt batch writes (what becomes resident): the batch's activations,
 * measured at 13 embedding-wide f32 values per token whatever the feed-forward width (14 MiB at embedding 512,
 * 27 MiB at 1024, 55 MiB at 2048, 61 MiB at 2560, 100 MiB at 4096, all at 512-token batches), plus the f16
 * attention mask once a conversation fills the window (context × batch; the measured prompts did not) and one
 * logits row: llama.cpp reserves logits for the whole batch, but generation asks for one row per step, so the
 * other rows' pages are never written (llama-2-tiny-random's 62.5 MiB reserve added < 2 MiB RSS).
 */
export function computeBufferBytes(profile: GgufProfile, request: { contextLength: number; batchSize?: number }) {
  const batch = request.batchSize ?? defaultBatchSize(request.contextLength);
  const activations = batch * 13 * profile.embeddingLength * f32Bytes;
  const mask = request.contextLength * batch * f16Bytes;
  return activations + mask + (profile.vocabularySize ?? 0) * f32Bytes;
}

/**
 * The compute buffer a GPU holds, where every byte is committed: about 6 embedding-wide and 3 feed-forward-wide
 * f32 rows per batch token at the peak, the mask, and the logits of the whole batch (not measured here: no GPU).
 */
export function gpuComputeBufferBytes(
  profile: GgufProfile,
  request: { contextLength: number; batchSize?: number },
  hints: ShapeHints = {},
): number {
  const batch = request.batchSize ?? defaultBatchSize(request.contextLength);
  const feedForward = hints.feedForwardLength ?? 4 * profile.embeddingLength;
  const activations = batch * (6 * profile.embeddingLength + 3 * feedForward) * f32Bytes;
  const logits = (profile.vocabularySize ?? 0) * batch * f32Bytes;
  return activations + request.contextLength * batch * f16Bytes + logits;
}
