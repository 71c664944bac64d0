import type { GgufTensorInfo } from 'node-llama-cpp';

/**
 * Bytes per block and elements per block of each ggml tensor type, from `type_traits` in ggml.c (block structs in
 * ggml-common.h). Kept here, not asked of the native binding, so a header can be checked without loading llama.cpp.
 * Indexed by the `GgmlType` enum value; types missing here (new or removed layouts) make sizes unknown, never wrong.
 */
const blockLayouts: Readonly<Record<number, { elementsPerBlock: number; bytesPerBlock: number }>> = {
  0: { elementsPerBlock: 1, bytesPerBlock: 4 }, // F32
  1: { elementsPerBlock: 1, bytesPerBlock: 2 }, // F16
  2: { elementsPerBlock: 32, bytesPerBlock: 18 }, // Q4_0
  3: { elementsPerBlock: 32, bytesPerBlock: 20 }, // Q4_1
  6: { elementsPerBlock: 32, bytesPerBlock: 22 }, // Q5_0
  7: { elementsPerBlock: 32, bytesPerBlock: 24 }, // Q5_1
  8: { elementsPerBlock: 32, bytesPerBlock: 34 }, // Q8_0
  9: { elementsPerBlock: 32, bytesPerBlock: 36 }, // Q8_1
  10: { elementsPerBlock: 256, bytesPerBlock: 84 }, // Q2_K
  11: { elementsPerBlock: 256, bytesPerBlock: 110 }, // Q3_K
  12: { elementsPerBlock: 256, bytesPerBlock: 144 }, // Q4_K
  13: { elementsPerBlock: 256, bytesPerBlock: 176 }, // Q5_K
  14: { elementsPerBlock: 256, bytesPerBlock: 210 }, // Q6_K
  15: { elementsPerBlock: 256, bytesPerBlock: 292 }, // Q8_K
  16: { elementsPerBlock: 256, bytesPerBlock: 66 }, // IQ2_XXS
  17: { elementsPerBlock: 256, bytesPerBlock: 74 }, // IQ2_XS
  18: { elementsPerBlock: 256, bytesPerBlock: 98 }, // IQ3_XXS
  19: { elementsPerBlock: 256, bytesPerBlock: 50 }, // IQ1_S
  20: { elementsPerBlock: 32, bytesPerBlock: 18 }, // IQ4_NL
  21: { elementsPerBlock: 256, bytesPerBlock: 110 }, // IQ3_S
  22: { elementsPerBlock: 256, bytesPerBlock: 82 }, // IQ2_S
  23: { elementsPerBlock: 256, bytesPerBlock: 136 }, // IQ4_XS
  24: { elementsPerBlock: 1, bytesPerBlock: 1 }, // I8
  25: { elementsPerBlock: 1, bytesPerBlock: 2 }, // I16
  26: { elementsPerBlock: 1, bytesPerBlock: 4 }, // I32
  27: { elementsPerBlock: 1, bytesPerBlock: 8 }, // I64
  28: { elementsPerBlock: 1, bytesPerBlock: 8 }, // F64
  29: { elementsPerBlock: 256, bytesPerBlock: 56 }, // IQ1_M
  30: { elementsPerBlock: 1, bytesPerBlock: 2 }, // BF16
  34: { elementsPerBlock: 256, bytesPerBlock: 54 }, // TQ1_0
  35: { elementsPerBlock: 256, bytesPerBlock: 66 }, // TQ2_0
  39: { elementsPerBlock: 32, bytesPerBlock: 17 }, // MXFP4
};

export function tensorElementCount(tensor: Pick<GgufTensorInfo, 'dimensions'>): number {
  return tensor.dimensions.reduce<number>((count, dimension) => count * Number(dimension), 1);
}

/** Bytes the tensor's data takes in the file, or null for a type this table does not know. */
export function tensorByteSize(tensor: Pick<GgufTensorInfo, 'dimensions' | 'ggmlType'>): number | null {
  const layout = blockLayouts[tensor.ggmlType];
  if (!layout) return null;
  return Math.ceil(tensorElementCount(tensor) / layout.elementsPerBlock) * layout.bytesPerBlock;
}
