import type { BpeVocabShape } from './bpeVocab';

/** The published shape of a real model: what its config.json says, as llama.cpp's converter writes it to GGUF. */
export interface RealShape {
  name: string;
  architecture: 'llama' | 'qwen3';
  layers: number;
  embedding: number;
  feedForward: number;
  heads: number;
  kvHeads: number;
  /** Per-head width (config head_dim); embedding / heads unless the config says otherwise (Qwen3). */
  headDim: number;
  /** The output projection reuses the token embedding (tie_word_embeddings): no output.weight in the file. */
  tiedEmbeddings: boolean;
  contextLength: number;
  ropeFreqBase: number;
  rmsEpsilon: number;
  vocab: BpeVocabShape;
}

// Llama 3's tokenizer: 128,000 BPE tokens + 256 special ones, 280,147 merges (llama.cpp's load log of a
// converted Llama 3 GGUF prints tokens arr[str,128256] and merges arr[str,280147]).
const llama3Vocab: BpeVocabShape = {
  regularTokens: 128_000,
  specialTokens: ['<|begin_of_text|>', '<|end_of_text|>'],
  totalTokens: 128_256,
  mergeCount: 280_147,
  bosSpecial: 0,
  eosSpecial: 1,
};

// Qwen3's: 151,643 BPE tokens, then <|endoftext|>, <|im_start|>, <|im_end|>… padded to vocab_size 151,936;
// 151,387 merges.
const qwen3Vocab: BpeVocabShape = {
  regularTokens: 151_643,
  specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
  totalTokens: 151_936,
  mergeCount: 151_387,
  bosSpecial: 0,
  eosSpecial: 2,
};

/**
 * From the models' config.json on Hugging Face (meta-llama/Llama-3.2-1B and -3B, Qwen/Qwen3-4B,
 * meta-llama/Llama-3.1-8B; mirrored configs read: unsloth/Llama-3.2-1B, Llama-3.2-3B-Instruct, Qwen3-4B
 * derivatives, Meta-Llama-3.1-8B-Instruct): hidden_size, intermediate_size, num_hidden_layers,
 * num_attention_heads, num_key_value_heads, head_dim, vocab_size, tie_word_embeddings, rope_theta, rms_norm_eps.
 */
export const realShapes = {
  'llama-3.2-1b': {
    name: 'Llama 3.2 1B (shape)',
    architecture: 'llama',
    layers: 16,
    embedding: 2048,
    feedForward: 8192,
    heads: 32,
    kvHeads: 8,
    headDim: 64,
    tiedEmbeddings: true,
    contextLength: 131_072,
    ropeFreqBase: 500_000,
    rmsEpsilon: 1e-5,
    vocab: llama3Vocab,
  },
  'llama-3.2-3b': {
    name: 'Llama 3.2 3B (shape)',
    architecture: 'llama',
    layers: 28,
    embedding: 3072,
    feedForward: 8192,
    heads: 24,
    kvHeads: 8,
    headDim: 128,
    tiedEmbeddings: true,
    contextLength: 131_072,
    ropeFreqBase: 500_000,
    rmsEpsilon: 1e-5,
    vocab: llama3Vocab,
  },
  'qwen3-4b': {
    name: 'Qwen3 4B (shape)',
    architecture: 'qwen3',
    layers: 36,
    embedding: 2560,
    feedForward: 9728,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    tiedEmbeddings: true,
    contextLength: 40_960,
    ropeFreqBase: 1_000_000,
    rmsEpsilon: 1e-6,
    vocab: qwen3Vocab,
  },
  'llama-3.1-8b': {
    name: 'Llama 3.1 8B (shape)',
    architecture: 'llama',
    layers: 32,
    embedding: 4096,
    feedForward: 14_336,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    tiedEmbeddings: false,
    contextLength: 131_072,
    ropeFreqBase: 500_000,
    rmsEpsilon: 1e-5,
    vocab: llama3Vocab,
  },
} as const satisfies Record<string, RealShape>;

export type RealShapeName = keyof typeof realShapes;
