import type { GgufFileInfo, GgufTensorInfo } from 'node-llama-cpp';
import { loadedNodeLlamaCpp } from '../lazyModules';
import type { GgufProfile } from '../ModelBackend';
import { tensorByteSize, tensorElementCount } from './ggmlTypeSizes';

/** What the header says beyond `GgufProfile`: the extra facts estimates and the catalog need. */
export interface GgufDetails {
  /** `general.name`, when the file names itself. */
  name: string | null;
  /** `general.size_label`, e.g. "7B" or "8x7B", as the converter wrote it. */
  sizeLabel: string | null;
  /** Per-head key and value widths; they differ from embedding / heads on some families (e.g. Gemma, Qwen3). */
  headDimK: number;
  headDimV: number;
  /** Sliding-window attention span, when layers use one (their KV cache is then bounded by it). */
  slidingWindow: number | null;
  chatTemplate: string | null;
  /** A CLIP/mmproj file: the image half of a vision model, not a model to load on its own. */
  isVisionProjector: boolean;
  /** Sum of the tensors' data sizes, or null when a tensor type is unknown to Mai's size table. */
  tensorDataBytes: number | null;
  /** `<arch>.feed_forward_length` (the widest, for per-layer arrays); null when the file does not say. */
  feedForwardLength: number | null;
  /** Bytes of token_embd.weight; null when it is missing or of an unknown type. */
  tokenEmbeddingBytes: number | null;
  /** The output projection reuses the token embedding (no output.weight): every row of it is read per token. */
  tiedEmbeddings: boolean;
  /** BPE merges of the tokenizer (0 for SentencePiece), null when the header was read without the tokenizer. */
  mergeCount: number | null;
}

type Metadata = Record<string, unknown>;

/** Reads `a.b.c` from the nested metadata object node-llama-cpp builds. */
function at(metadata: unknown, dottedKey: string): unknown {
  let value: unknown = metadata;
  for (const part of dottedKey.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Metadata)[part];
  }
  return value;
}

/** Some families store per-layer arrays (e.g. head counts that vary by layer); the largest sizes the cache. */
function numberAt(metadata: unknown, dottedKey: string): number | null {
  const value = at(metadata, dottedKey);
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (Array.isArray(value) && value.length > 0) return Math.max(...value.map(Number));
  return null;
}

function stringAt(metadata: unknown, dottedKey: string): string | null {
  const value = at(metadata, dottedKey);
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function quantizationName(info: GgufFileInfo, tensors: readonly GgufTensorInfo[]): string | null {
  // A GgufFileInfo is only ever made by node-llama-cpp's reader, so the library is loaded.
  const { GgufFileType, GgmlType } = loadedNodeLlamaCpp();
  const fileType = numberAt(info.metadata, 'general.file_type');
  const fileTypeName = fileType === null ? undefined : GgufFileType[fileType];
  if (fileTypeName) return fileTypeName.replace(/^(MOSTLY|ALL)_/, '');
  // Older converters leave file_type out: name the type holding most of the bytes instead.
  const bytesByType = new Map<number, number>();
  for (const tensor of tensors) {
    bytesByType.set(tensor.ggmlType, (bytesByType.get(tensor.ggmlType) ?? 0) + (tensorByteSize(tensor) ?? 0));
  }
  const dominant = [...bytesByType.entries()].sort((a, b) => b[1] - a[1])[0];
  return dominant ? (GgmlType[dominant[0]] ?? null) : null;
}

/** Vocabulary size without keeping the token list: the embedding matrix is [embedding, vocabulary]. */
function vocabularySize(info: GgufFileInfo, architecture: string, tensors: readonly GgufTensorInfo[]): number | null {
  const declared = numberAt(info.metadata, `${architecture}.vocab_size`);
  if (declared !== null) return declared;
  const tokens = at(info.metadata, 'tokenizer.ggml.tokens');
  if (Array.isArray(tokens) && tokens.length > 0) return tokens.length;
  const embedding = tensors.find((tensor) => tensor.name === 'token_embd.weight');
  const rows = embedding?.dimensions[1];
  return rows === undefined ? null : Number(rows);
}

export type ProfileResult = { ok: true; profile: GgufProfile; details: GgufDetails } | { ok: false; reason: string };

/** Maps a parsed header to Mai's profile. Pure; a header missing the shape facts is refused with the missing key. */
export function profileFromFileInfo(info: GgufFileInfo): ProfileResult {
  const architecture = stringAt(info.metadata, 'general.architecture');
  if (!architecture) return { ok: false, reason: 'its metadata names no architecture (general.architecture)' };
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  const isVisionProjector = architecture === 'clip' || stringAt(info.metadata, 'general.type') === 'mmproj';
  const layerCount = numberAt(info.metadata, `${architecture}.block_count`);
  const embeddingLength = numberAt(info.metadata, `${architecture}.embedding_length`);
  const headCount = numberAt(info.metadata, `${architecture}.attention.head_count`);
  if (!isVisionProjector) {
    if (!layerCount) return { ok: false, reason: `its metadata lacks ${architecture}.block_count` };
    if (!embeddingLength) return { ok: false, reason: `its metadata lacks ${architecture}.embedding_length` };
  }
  const heads = headCount ?? 0;
  const naturalHeadDim = heads > 0 && embeddingLength ? embeddingLength / heads : 0;
  const tensorBytes = tensors.map(tensorByteSize);
  const parameterCount =
    numberAt(info.metadata, 'general.parameter_count') ??
    (tensors.length > 0 ? tensors.reduce((sum, tensor) => sum + tensorElementCount(tensor), 0) : null);

  const profile: GgufProfile = {
    architecture,
    parameterCount,
    layerCount: layerCount ?? 0,
    embeddingLength: embeddingLength ?? 0,
    headCount: heads,
    // Without grouped-query attention the file leaves head_count_kv out: every head has its own K/V.
    headCountKv: numberAt(info.metadata, `${architecture}.attention.head_count_kv`) ?? heads,
    contextLength: numberAt(info.metadata, `${architecture}.context_length`) ?? 0,
    vocabularySize: vocabularySize(info, architecture, tensors),
    quantization: quantizationName(info, tensors),
  };
  const embedding = tensors.find((tensor) => tensor.name === 'token_embd.weight');
  const merges = at(info.metadata, 'tokenizer.ggml.merges');
  const tokenizerModel = stringAt(info.metadata, 'tokenizer.ggml.model');
  const details: GgufDetails = {
    name: stringAt(info.metadata, 'general.name'),
    sizeLabel: stringAt(info.metadata, 'general.size_label'),
    headDimK: numberAt(info.metadata, `${architecture}.attention.key_length`) ?? naturalHeadDim,
    headDimV: numberAt(info.metadata, `${architecture}.attention.value_length`) ?? naturalHeadDim,
    slidingWindow: numberAt(info.metadata, `${architecture}.attention.sliding_window`),
    chatTemplate: stringAt(info.metadata, 'tokenizer.chat_template'),
    isVisionProjector,
    tensorDataBytes: tensorBytes.includes(null)
      ? null
      : tensorBytes.reduce<number>((sum, bytes) => sum + (bytes ?? 0), 0),
    feedForwardLength: numberAt(info.metadata, `${architecture}.feed_forward_length`),
    tokenEmbeddingBytes: embedding ? tensorByteSize(embedding) : null,
    tiedEmbeddings: !tensors.some((tensor) => tensor.name === 'output.weight'),
    mergeCount: Array.isArray(merges) ? merges.length : tokenizerModel === 'llama' ? 0 : null,
  };
  return { ok: true, profile, details };
}
