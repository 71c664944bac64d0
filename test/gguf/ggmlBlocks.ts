/**
 * The ggml tensor types the GGUF writer can produce, with their block layouts from ggml-common.h: how many elements
 * a block holds, its bytes, and where its f16 scales sit (random bytes there could be NaN or huge; the writer puts a
 * small normal f16 there so a forward pass over random weights stays finite).
 */
export const blockLayouts = {
  F32: { typeId: 0, elementsPerBlock: 1, bytesPerBlock: 4, scaleOffsets: [] },
  F16: { typeId: 1, elementsPerBlock: 1, bytesPerBlock: 2, scaleOffsets: [0] },
  // block_q8_0 { ggml_half d; int8_t qs[32]; }
  Q8_0: { typeId: 8, elementsPerBlock: 32, bytesPerBlock: 34, scaleOffsets: [0] },
  // block_q4_K { ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[128]; }
  Q4_K: { typeId: 12, elementsPerBlock: 256, bytesPerBlock: 144, scaleOffsets: [0, 2] },
  // block_q6_K { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d; }
  Q6_K: { typeId: 14, elementsPerBlock: 256, bytesPerBlock: 210, scaleOffsets: [208] },
} as const satisfies Record<
  string,
  { typeId: number; elementsPerBlock: number; bytesPerBlock: number; scaleOffsets: readonly number[] }
>;

export type BlockTypeName = keyof typeof blockLayouts;

/** Blocks in one pool of random bytes: 16 Ki blocks (≤ 3.4 MiB) repeat with a shifting offset across a tensor. */
const poolBlocks = 16 * 1024;

/** xorshift32, so the same seed writes the same bytes. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/**
 * A pool of random blocks of `type` whose f16 fields are small normal numbers (2^-12..2^-11, random sign and
 * mantissa). F16 weights are all "scale": each element gets such a value.
 */
function randomPool(type: BlockTypeName, seed: number): Uint8Array {
  const layout = blockLayouts[type];
  const pool = new Uint8Array(poolBlocks * layout.bytesPerBlock);
  const next = xorshift(seed);
  const words = new Uint32Array(pool.buffer, 0, Math.floor(pool.length / 4));
  for (let index = 0; index < words.length; index += 1) words[index] = next();
  const view = new DataView(pool.buffer);
  for (let block = 0; block < poolBlocks; block += 1) {
    for (const offset of layout.scaleOffsets) {
      const bits = next();
      // biased exponent 3 → 2^-12; the sign bit from the random word keeps the mean near zero.
      view.setUint16(block * layout.bytesPerBlock + offset, (bits & 0x8000) | (3 << 10) | (bits & 0x3ff), true);
    }
  }
  return pool;
}

const pools = new Map<string, Uint8Array>();

/**
 * A `fillBytes` for the writer: random blocks of `type`. Tensors share one pool per type and seed, entered at an
 * offset of their own, so no two tensors start alike; only memory is measured on these files, never quality.
 */
export function randomBlocks(type: BlockTypeName, seed: number, tensorIndex: number) {
  const key = `${type}:${seed}`;
  const pool = pools.get(key) ?? randomPool(type, seed);
  pools.set(key, pool);
  const blockBytes = blockLayouts[type].bytesPerBlock;
  const start = ((tensorIndex * 7919) % poolBlocks) * blockBytes;
  return (out: Uint8Array, firstByte: number) => {
    let written = 0;
    let at = (start + firstByte) % pool.length;
    while (written < out.length) {
      const piece = pool.subarray(at, Math.min(pool.length, at + out.length - written));
      out.set(piece, written);
      written += piece.length;
      at = 0;
    }
  };
}
