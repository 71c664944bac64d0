/**
 * A small random-weight llama whose KV cache is large beside its weights (8 layers × 8 KV heads × 128 wide: 32 KiB
 * of f16 cache a token, 128 MiB at 4,096 tokens, against ~33 MB of Q4_K_M weights), so what a smaller window or a
 * quantized cache saves stands far above the noise of a process's RSS. For measuring relief steps on the real engine.
 */
import path from 'node:path';
import { writeRealShapedModel } from './realShapedModel';
import type { RealShape } from './realShapes';

export const kvHeavyShape: RealShape = {
  name: 'KV-heavy llama',
  architecture: 'llama',
  layers: 8,
  embedding: 1024,
  feedForward: 1024,
  heads: 8,
  kvHeads: 8,
  headDim: 128,
  tiedEmbeddings: true,
  contextLength: 8192,
  ropeFreqBase: 500_000,
  rmsEpsilon: 1e-5,
  vocab: {
    regularTokens: 2000,
    specialTokens: ['<|begin|>', '<|end|>'],
    totalTokens: 2048,
    mergeCount: 2500,
    bosSpecial: 0,
    eosSpecial: 1,
  },
};

/** Writes it as `<dir>/<name>.gguf` and answers the path; `layers` scales the cache (4 MiB a layer per 1k tokens). */
export function writeKvHeavyModel(dir: string, options: { name?: string; layers?: number } = {}): string {
  const shape = { ...kvHeavyShape, layers: options.layers ?? kvHeavyShape.layers };
  return writeRealShapedModel(path.join(dir, `${options.name ?? 'kv-heavy'}.gguf`), shape, 'Q4_K_M').path;
}
