import type { GgufProfile, ModelInfo } from '../ModelBackend';
import type { OllamaShow, OllamaTag } from './ollamaWire';

type Info = Record<string, unknown>;

function numberAt(info: Info, key: string): number | null {
  const value = info[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The GGUF facts Mai's memory estimate needs, from /api/show's `model_info` (the file's own header, keys dotted as
 * in GGUF: `llama.block_count`, `llama.attention.head_count_kv`…). Null where a shape fact is missing: the estimate
 * then falls back to the listing's size, as for any model without a readable header.
 */
export function profileFromModelInfo(info: Info, quantization: string | null): GgufProfile | null {
  const architecture = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : null;
  if (architecture === null) return null;
  const at = (key: string) => numberAt(info, `${architecture}.${key}`);
  const layerCount = at('block_count');
  const embeddingLength = at('embedding_length');
  const headCount = at('attention.head_count');
  const contextLength = at('context_length');
  if (layerCount === null || embeddingLength === null || headCount === null || contextLength === null) return null;
  const tokens = info['tokenizer.ggml.tokens'];
  // Ollama leaves the token list empty unless asked for it verbosely: its length counts only when it has one.
  const listedVocabulary = Array.isArray(tokens) && tokens.length > 0 ? tokens.length : null;
  return {
    architecture,
    parameterCount: numberAt(info, 'general.parameter_count'),
    layerCount,
    embeddingLength,
    headCount,
    headCountKv: at('attention.head_count_kv') ?? headCount,
    contextLength,
    vocabularySize: at('vocab_size') ?? listedVocabulary,
    quantization,
  };
}

/**
 * A model as Ollama lists and shows it. Its key is Ollama's own name (`llama3.2:latest`), what every request names.
 * Without the `completion` capability (an embedding model) it cannot chat, so Mai never picks it.
 */
export function toModelInfo(tag: OllamaTag, show: OllamaShow | null): ModelInfo {
  const info = show?.model_info ?? {};
  const quantization = tag.details?.quantization_level || null;
  const gguf = profileFromModelInfo(info, quantization);
  const capabilities = show?.capabilities ?? null;
  const chats = capabilities === null || capabilities.includes('completion');
  return {
    key: tag.name,
    displayName: tag.name,
    backend: 'ollama',
    // Ollama keeps its files as content-addressed blobs of its own; no path Mai could read.
    path: null,
    sizeBytes: tag.size,
    paramsString: tag.details?.parameter_size || null,
    architecture: gguf?.architecture ?? (tag.details?.family || null),
    quantization,
    maxContextLength: gguf?.contextLength ?? null,
    vision: capabilities?.includes('vision') ?? false,
    trainedForToolUse: capabilities?.includes('tools') ?? false,
    usable: chats,
    unusableReason: chats ? null : `Ollama lists it for ${capabilities?.join(', ') || 'nothing'}, not chat`,
    gguf,
  };
}
