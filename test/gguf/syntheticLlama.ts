import { readGgufFileInfo } from 'node-llama-cpp';
import { writeGguf, type FloatTensorSpec, type GgufValue, type TensorSpec } from './writeGguf';

export interface SyntheticLlamaShape {
  layers: number;
  embedding: number;
  feedForward: number;
  heads: number;
  kvHeads: number;
  contextLength: number;
  seed: number;
}

export interface LlamaTokenizer {
  tokens: string[];
  scores: number[];
  tokenTypes: number[];
  bosId: number;
  eosId: number;
  unknownId: number;
}

/** The SentencePiece tokenizer of an existing llama GGUF (e.g. llama-2-tiny-random's 32,000 tokens). */
export async function readLlamaTokenizer(path: string): Promise<LlamaTokenizer> {
  const info = await readGgufFileInfo(path, { logWarnings: false });
  const ggml = info.metadata.tokenizer?.ggml;
  if (!ggml?.tokens || !ggml.scores || !ggml.token_type) throw new Error(`${path} has no llama tokenizer`);
  return {
    tokens: [...ggml.tokens],
    scores: [...ggml.scores],
    tokenTypes: [...ggml.token_type],
    bosId: Number(ggml.bos_token_id ?? 1),
    eosId: Number(ggml.eos_token_id ?? 2),
    unknownId: Number(ggml.unknown_token_id ?? 0),
  };
}

/** xorshift32: a deterministic stream per tensor, so the same seed writes the same file. */
function randomStream(seed: number) {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/** Random F16 weights of magnitude 2^-7..2^-3 with random sign: small enough that activations stay finite. */
function randomF16(seed: number): FloatTensorSpec['fill'] {
  const next = randomStream(seed);
  return (out) => {
    for (let index = 0; index < out.length; index += 1) {
      const bits = next();
      const exponent = 8 + (bits % 5); // biased exponent 8..12 → 2^-7..2^-3
      out[index] = (bits & 0x8000) | (exponent << 10) | ((bits >>> 16) & 0x3ff);
    }
  };
}

const ones: FloatTensorSpec['fill'] = (out) => out.fill(1);

/** Writes a llama-architecture GGUF with random F16 weights (F32 norms) of the given shape. */
export function writeSyntheticLlama(path: string, shape: SyntheticLlamaShape, tokenizer: LlamaTokenizer): void {
  const { embedding, feedForward, heads, kvHeads, layers } = shape;
  const vocabulary = tokenizer.tokens.length;
  const kvWidth = (embedding / heads) * kvHeads;
  let tensorIndex = 0;
  const weight = (name: string, dimensions: number[]): TensorSpec => ({
    name,
    dimensions,
    type: 'F16',
    fill: randomF16(shape.seed * 1000 + (tensorIndex += 1)),
  });
  const norm = (name: string): TensorSpec => ({ name, dimensions: [embedding], type: 'F32', fill: ones });
  const tensors: TensorSpec[] = [weight('token_embd.weight', [embedding, vocabulary])];
  for (let layer = 0; layer < layers; layer += 1) {
    const prefix = `blk.${layer}`;
    tensors.push(
      norm(`${prefix}.attn_norm.weight`),
      weight(`${prefix}.attn_q.weight`, [embedding, embedding]),
      weight(`${prefix}.attn_k.weight`, [embedding, kvWidth]),
      weight(`${prefix}.attn_v.weight`, [embedding, kvWidth]),
      weight(`${prefix}.attn_output.weight`, [embedding, embedding]),
      norm(`${prefix}.ffn_norm.weight`),
      weight(`${prefix}.ffn_gate.weight`, [embedding, feedForward]),
      weight(`${prefix}.ffn_up.weight`, [embedding, feedForward]),
      weight(`${prefix}.ffn_down.weight`, [feedForward, embedding]),
    );
  }
  tensors.push(norm('output_norm.weight'), weight('output.weight', [embedding, vocabulary]));

  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const metadata: [string, GgufValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: `Synthetic llama ${layers}x${embedding}` }],
    ['general.file_type', u32(1)], // MOSTLY_F16
    ['llama.context_length', u32(shape.contextLength)],
    ['llama.embedding_length', u32(embedding)],
    ['llama.block_count', u32(layers)],
    ['llama.feed_forward_length', u32(feedForward)],
    ['llama.rope.dimension_count', u32(embedding / heads)],
    ['llama.attention.head_count', u32(heads)],
    ['llama.attention.head_count_kv', u32(kvHeads)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', values: tokenizer.tokens }],
    ['tokenizer.ggml.scores', { type: 'array', itemType: 'f32', values: tokenizer.scores }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'i32', values: tokenizer.tokenTypes }],
    ['tokenizer.ggml.bos_token_id', u32(tokenizer.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(tokenizer.eosId)],
    ['tokenizer.ggml.unknown_token_id', u32(tokenizer.unknownId)],
  ];
  writeGguf(path, metadata, tensors);
}
