import { makeBpeVocab } from './bpeVocab';
import { randomBlocks, type BlockTypeName } from './ggmlBlocks';
import { realShapes, type RealShape, type RealShapeName } from './realShapes';
import { tensorDataBytes, writeGguf, type FloatTensorSpec, type GgufValue, type TensorSpec } from './writeGguf';

/** How the weights are stored: llama.cpp's Q4_K_M mix, or one type for every weight matrix. */
export type WeightScheme = 'Q4_K_M' | 'Q8_0' | 'F16';

/** general.file_type (llama_ftype) of each scheme. */
const fileTypes: Record<WeightScheme, number> = { F16: 1, Q8_0: 7, Q4_K_M: 15 };

/**
 * llama.cpp's use_more_bits (llama-quant.cpp): Q4_K_M keeps attn_v and ffn_down at Q6_K in the first and last
 * eighth of the layers and in every third layer between.
 */
function usesMoreBits(layer: number, layers: number): boolean {
  const eighth = Math.floor(layers / 8);
  return layer < eighth || layer >= Math.floor((7 * layers) / 8) || (layer - eighth) % 3 === 2;
}

/** The type of one weight matrix under a scheme, as llama_tensor_get_type picks it for these families. */
export function weightType(
  scheme: WeightScheme,
  role: string,
  layer: number | null,
  shape: Pick<RealShape, 'layers' | 'tiedEmbeddings'>,
): BlockTypeName {
  if (scheme !== 'Q4_K_M') return scheme;
  const isOutput = role === 'output' || (role === 'token_embd' && shape.tiedEmbeddings);
  if (isOutput) return 'Q6_K';
  if ((role === 'attn_v' || role === 'ffn_down') && layer !== null && usesMoreBits(layer, shape.layers)) return 'Q6_K';
  return 'Q4_K';
}

const ones: FloatTensorSpec['fill'] = (out) => out.fill(1);

/** The tensors of a llama or qwen3 model of this shape (names and dimensions as llama.cpp's loader expects). */
export function realShapedTensors(shape: RealShape, scheme: WeightScheme, seed = 1): TensorSpec[] {
  const vocabulary = shape.vocab.totalTokens;
  const { embedding, feedForward, headDim } = shape;
  const qWidth = shape.heads * headDim;
  const kvWidth = shape.kvHeads * headDim;
  const tensors: TensorSpec[] = [];
  const weight = (name: string, dimensions: number[], role: string, layer: number | null) => {
    const type = weightType(scheme, role, layer, shape);
    tensors.push({ name, dimensions, type, fillBytes: randomBlocks(type, seed, tensors.length) });
  };
  const norm = (name: string, width: number) => tensors.push({ name, dimensions: [width], type: 'F32', fill: ones });

  weight('token_embd.weight', [embedding, vocabulary], 'token_embd', null);
  // Llama 3's converter stores the rope frequency factors; all ones leave the rotation unscaled.
  if (shape.architecture === 'llama') norm('rope_freqs.weight', headDim / 2);
  for (let layer = 0; layer < shape.layers; layer += 1) {
    const blk = `blk.${layer}`;
    norm(`${blk}.attn_norm.weight`, embedding);
    weight(`${blk}.attn_q.weight`, [embedding, qWidth], 'attn_q', layer);
    weight(`${blk}.attn_k.weight`, [embedding, kvWidth], 'attn_k', layer);
    weight(`${blk}.attn_v.weight`, [embedding, kvWidth], 'attn_v', layer);
    weight(`${blk}.attn_output.weight`, [qWidth, embedding], 'attn_output', layer);
    if (shape.architecture === 'qwen3') {
      norm(`${blk}.attn_q_norm.weight`, headDim);
      norm(`${blk}.attn_k_norm.weight`, headDim);
    }
    norm(`${blk}.ffn_norm.weight`, embedding);
    weight(`${blk}.ffn_gate.weight`, [embedding, feedForward], 'ffn_gate', layer);
    weight(`${blk}.ffn_up.weight`, [embedding, feedForward], 'ffn_up', layer);
    weight(`${blk}.ffn_down.weight`, [feedForward, embedding], 'ffn_down', layer);
  }
  norm('output_norm.weight', embedding);
  if (!shape.tiedEmbeddings) weight('output.weight', [embedding, vocabulary], 'output', null);
  return tensors;
}

export interface RealShapedFile {
  path: string;
  parameterCount: number;
  /** Tensor data only; the file adds its header (the vocabulary: a few MB). */
  tensorBytes: number;
}

/** Writes a random-weight GGUF of a published shape that node-llama-cpp loads (tokenizer included). */
export function writeRealShapedModel(
  path: string,
  shapeOrName: RealShapeName | RealShape,
  scheme: WeightScheme,
  seed = 1,
): RealShapedFile {
  const shape: RealShape = typeof shapeOrName === 'string' ? realShapes[shapeOrName] : shapeOrName;
  const arch = shape.architecture;
  const vocab = makeBpeVocab(shape.vocab);
  const tensors = realShapedTensors(shape, scheme, seed);
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const f32 = (value: number): GgufValue => ({ type: 'f32', value });
  const str = (value: string): GgufValue => ({ type: 'string', value });
  const metadata: [string, GgufValue][] = [
    ['general.architecture', str(arch)],
    ['general.name', str(`${shape.name} ${scheme}`)],
    ['general.file_type', u32(fileTypes[scheme])],
    ['general.quantization_version', u32(2)],
    [`${arch}.block_count`, u32(shape.layers)],
    [`${arch}.context_length`, u32(shape.contextLength)],
    [`${arch}.embedding_length`, u32(shape.embedding)],
    [`${arch}.feed_forward_length`, u32(shape.feedForward)],
    [`${arch}.attention.head_count`, u32(shape.heads)],
    [`${arch}.attention.head_count_kv`, u32(shape.kvHeads)],
    [`${arch}.attention.key_length`, u32(shape.headDim)],
    [`${arch}.attention.value_length`, u32(shape.headDim)],
    [`${arch}.rope.dimension_count`, u32(shape.headDim)],
    [`${arch}.rope.freq_base`, f32(shape.ropeFreqBase)],
    [`${arch}.attention.layer_norm_rms_epsilon`, f32(shape.rmsEpsilon)],
    [`${arch}.vocab_size`, u32(shape.vocab.totalTokens)],
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str(arch === 'qwen3' ? 'qwen2' : 'llama-bpe')],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'i32', values: vocab.tokenTypes }],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', values: vocab.merges }],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bosId)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eosId)],
  ];
  writeGguf(path, metadata, tensors);
  const elements = (tensor: TensorSpec) => tensor.dimensions.reduce((count, dim) => count * dim, 1);
  return {
    path,
    parameterCount: tensors.reduce((sum, tensor) => sum + elements(tensor), 0),
    tensorBytes: tensors.reduce((sum, tensor) => sum + tensorDataBytes(tensor), 0),
  };
}
