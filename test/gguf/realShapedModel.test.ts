import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getLlama, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGgufInsight } from '../../src/brain/backends/gguf/readGgufInsight';
import { realShapedTensors, writeRealShapedModel, type WeightScheme } from './realShapedModel';
import { realShapes, type RealShape } from './realShapes';
import { tensorDataBytes } from './writeGguf';

/** Real shapes in miniature: the same families, tensor types and tokenizer kind, a few MB instead of gigabytes. */
const miniVocab = {
  regularTokens: 2000,
  specialTokens: ['<|begin|>', '<|end|>'],
  totalTokens: 2048,
  mergeCount: 2500,
  bosSpecial: 0,
  eosSpecial: 1,
};
const mini = (architecture: RealShape['architecture'], headDim: number, tiedEmbeddings: boolean): RealShape => ({
  name: `mini ${architecture}`,
  architecture,
  layers: 3,
  embedding: 256,
  feedForward: 512,
  heads: 4,
  kvHeads: 2,
  headDim,
  tiedEmbeddings,
  contextLength: 4096,
  ropeFreqBase: 500_000,
  rmsEpsilon: 1e-5,
  vocab: miniVocab,
});

let dir: string;
let llama: Llama;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mai-real-shapes-'));
  llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1 });
});
afterAll(async () => {
  await llama?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('random-weight GGUFs of published shapes', () => {
  it("types the weights as llama.cpp's Q4_K_M does (Llama 3.2 3B: 168 Q4_K, 29 Q6_K, 58 F32 tensors)", () => {
    const tensors = realShapedTensors(realShapes['llama-3.2-3b'], 'Q4_K_M');
    const count = (type: string) => tensors.filter((tensor) => tensor.type === type).length;
    expect([count('Q4_K'), count('Q6_K'), count('F32')]).toEqual([168, 29, 58]);
    // The published file (2,019,377,696 bytes) is these tensors plus a header of 7.5 MiB (the real tokenizer).
    const headerBytes = 2_019_377_696 - tensors.reduce((sum, tensor) => sum + tensorDataBytes(tensor), 0);
    expect(headerBytes).toBeGreaterThan(0);
    expect(headerBytes).toBeLessThan(8 * 2 ** 20);
  });

  it.each([
    ['llama', 64, true, 'Q4_K_M'],
    ['llama', 64, false, 'Q8_0'],
    ['qwen3', 128, true, 'Q4_K_M'],
    ['qwen3', 128, true, 'F16'],
  ] as const)(
    'writes a %s (head %i, tied %s) %s that node-llama-cpp loads and runs',
    async (arch, headDim, tied, scheme) => {
      const shape = mini(arch, headDim, tied);
      const file = writeRealShapedModel(path.join(dir, `${arch}-${scheme}.gguf`), shape, scheme as WeightScheme);
      const info = await readGgufFileInfo(file.path, { logWarnings: false });
      expect(info.metadata.general.architecture).toBe(arch);
      expect(info.tensorInfo?.some((tensor) => tensor.name === 'output.weight')).toBe(!tied);
      const insight = await readGgufInsight(file.path);
      expect(insight.usable && insight.details).toMatchObject({
        mergeCount: miniVocab.mergeCount,
        tiedEmbeddings: tied,
        tensorDataBytes: file.tensorBytes,
      });

      const model = await llama.loadModel({ modelPath: file.path, gpuLayers: 0 });
      try {
        expect(model.fileInsights.totalLayers).toBe(shape.layers + 1);
        const context = await model.createContext({ contextSize: 512, threads: 1 });
        const tokens = model.tokenize('hello world');
        expect(tokens.length).toBeGreaterThan(0);
        // A forward pass over random weights: it must run (only memory is ever measured on these files).
        const sequence = context.getSequence();
        await sequence.evaluateWithoutGeneratingNewTokens(tokens);
        expect(sequence.nextTokenIndex).toBe(tokens.length);
        await context.dispose();
      } finally {
        await model.dispose();
      }
    },
  );
});
