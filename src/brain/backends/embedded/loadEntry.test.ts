import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../ModelBackend';
import { defaultThreadCount } from './engine';
import { resolveContextLength, resolveGpuLayers } from './loadEntry';

describe('load settings', () => {
  it.each([
    ['auto', true, { fitContext: { contextSize: 4096 } }],
    [undefined, true, { fitContext: { contextSize: 4096 } }],
    ['off', true, 0],
    [{ layers: 12 }, true, 12],
    ['auto', false, 0],
    [{ layers: 12 }, false, 0],
  ] as const)('offload %j with a GPU: %s gives %j', (offload, hasGpu, layers) => {
    expect(resolveGpuLayers(offload, hasGpu, 4096)).toEqual(layers);
  });

  const info = (maxContextLength: number | null) => ({ maxContextLength }) as ModelInfo;
  it.each([
    [undefined, 2048, 2048],
    [undefined, 131_072, 4096],
    [undefined, null, 4096],
    [8192, 2048, 8192],
  ])('context %s for a model trained on %s is %i', (requested, trained, expected) => {
    expect(resolveContextLength(requested, info(trained), 4096)).toBe(expected);
  });

  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [16, 2],
  ])('uses %i cores with %i llama.cpp threads by default', (cores, threads) => {
    expect(defaultThreadCount(cores)).toBe(threads);
  });
});
