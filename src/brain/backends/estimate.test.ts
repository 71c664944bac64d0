import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath } from '../../../test/fixtures';
import { modelInfoFromInsight } from './embedded/discovery';
import {
  computeBufferBytes,
  estimateFromListing,
  estimateFromProfile,
  estimateMemory,
  kvCacheBytes,
  simplePredictorBytes,
} from './estimate';
import { readGgufInsight } from './gguf/readGgufInsight';
import type { GgufProfile, ModelInfo } from './ModelBackend';

const mib = 2 ** 20;
const stories: GgufProfile = {
  architecture: 'llama',
  parameterCount: 292_800,
  layerCount: 5,
  embeddingLength: 64,
  headCount: 8,
  headCountKv: 4,
  contextLength: 2048,
  vocabularySize: 512,
  quantization: 'F32',
};
const llama3_8b: GgufProfile = {
  ...stories,
  parameterCount: 8.03e9,
  layerCount: 32,
  embeddingLength: 4096,
  headCount: 32,
  headCountKv: 8,
  contextLength: 8192,
  vocabularySize: 128_256,
  quantization: 'Q4_K_M',
};

describe('formulas', () => {
  it.each([
    [stories, 512, 0.3125 * mib], // llama.cpp: "KV buffer size = 0.31 MiB"
    [stories, 8192, 5 * mib], // llama.cpp: "KV buffer size = 5.00 MiB"
    [{ ...stories, layerCount: 1, embeddingLength: 8, headCount: 2, headCountKv: 2 }, 8192, 0.25 * mib],
    [llama3_8b, 8192, 1024 * mib],
  ])('sizes the f16 KV cache like llama.cpp (%#)', (profile, contextLength, bytes) => {
    expect(kvCacheBytes(profile, contextLength)).toBe(bytes);
  });

  it.each([
    [512, 2.02 * mib],
    [8192, 9.52 * mib],
  ])('sizes the compute buffer near llama.cpp at %i tokens', (contextLength, reported) => {
    const bytes = computeBufferBytes(stories, { contextLength });
    expect(Math.abs(bytes - reported) / reported).toBeLessThan(0.2);
  });

  it('keeps everything in RAM without offload and splits by offloaded layers', () => {
    const size = 4.9e9;
    const cpu = estimateFromProfile(llama3_8b, size, { contextLength: 8192, gpuLayers: 0 });
    expect(cpu).toMatchObject({ vramBytes: 0, method: 'formula' });
    const { weights, kvCache, compute, overhead } = cpu.breakdown;
    expect(cpu.ramBytes).toBe(Math.round(weights + kvCache + compute + overhead));
    expect(simplePredictorBytes(size, llama3_8b, 8192)).toBe(size + 1024 * mib);

    const all = estimateFromProfile(llama3_8b, size, { contextLength: 8192, gpuLayers: 33 });
    expect(all.ramBytes).toBe(overhead);
    expect(all.vramBytes).toBeGreaterThan(size + kvCache + compute);

    const half = estimateFromProfile(llama3_8b, size, { contextLength: 8192, gpuLayers: 16 });
    expect(half.vramBytes).toBeGreaterThan(size / 2);
    expect(half.ramBytes).toBeGreaterThan(size / 2);
    // The same bytes placed differently; on the CPU the logits reserve's untouched pages are not counted.
    expect(half.ramBytes + half.vramBytes).toBe(all.ramBytes + all.vramBytes);
    expect(cpu.ramBytes).toBeLessThan(all.ramBytes + all.vramBytes);
  });

  it('guesses from a listing: grows with the context and the parameter count', () => {
    const small = estimateFromListing(4.37e9, '7B', { contextLength: 4096, gpuLayers: 0 });
    expect(small).toMatchObject({ method: 'size', vramBytes: 0 });
    expect(small.breakdown.kvCache / mib).toBeCloseTo(64 * Math.pow(7, 0.6) * 4, 0);
    expect(estimateFromListing(4.37e9, '7B', { contextLength: 8192, gpuLayers: 0 }).ramBytes).toBeGreaterThan(
      small.ramBytes,
    );
    const unnamed = estimateFromListing(4.37e9, null, { contextLength: 4096, gpuLayers: 0 });
    expect(unnamed.breakdown.kvCache).toBeGreaterThan(small.breakdown.kvCache);
  });
});

describe('estimateMemory', () => {
  let llama: Llama;
  let model: ModelInfo;
  beforeAll(async () => {
    llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1 });
    model = modelInfoFromInsight('stories260K', await readGgufInsight(fixtureModelPath('stories260K')), false);
  });
  afterAll(() => llama?.dispose());

  it('goes through the engine where it can, the metadata otherwise, the listing last', async () => {
    const request = { contextLength: 2048, gpuLayers: 0 };
    const engine = await estimateMemory(model, request, { llama });
    const formula = await estimateMemory(model, request);
    const listing = await estimateMemory({ ...model, gguf: null, paramsString: '260K' }, request);
    expect([engine.method, formula.method, listing.method]).toEqual(['engine', 'formula', 'size']);
    expect(engine.vramBytes).toBe(0);
    expect(engine.breakdown.weights).toBe(1_171_200); // the tensors' bytes exactly
    expect(engine.breakdown.kvCache).toBe(1.25 * mib);
    // Both routes agree closely on a model the formula was calibrated on.
    expect(Math.abs(engine.ramBytes - formula.ramBytes)).toBeLessThan(2 * mib);
  });

  it('falls back without throwing when the file is gone', async () => {
    const gone = { ...model, path: '/nonexistent/model.gguf' };
    expect((await estimateMemory(gone, { contextLength: 2048, gpuLayers: 0 }, { llama })).method).toBe('formula');
  });
});
