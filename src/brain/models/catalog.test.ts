import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../../shared/contract';
import type { MemoryEstimate } from '../backends/estimate';
import type { BackendHealth, ModelBackend, ModelInfo } from '../backends/ModelBackend';
import { buildCatalog, mergeListings, workingContextLength, type BackendListing } from './catalog';
import { capabilitiesFor, categoryFor } from './classify';
import { fitsNow } from './fit';

const gib = 1024 ** 3;

function model(overrides: Partial<ModelInfo>): ModelInfo {
  return {
    key: 'm',
    displayName: 'M',
    backend: 'embedded',
    path: '/models/m.gguf',
    sizeBytes: gib,
    paramsString: null,
    architecture: 'llama',
    quantization: 'Q4_K_M',
    maxContextLength: 8192,
    vision: false,
    trainedForToolUse: false,
    usable: true,
    unusableReason: null,
    gguf: null,
    ...overrides,
  };
}

function sample(availableBytes: number, gpus: ResourceSample['gpus'] = []): ResourceSample {
  return {
    atMs: 0,
    cpu: { percent: 10, cores: 8 },
    memory: { totalBytes: 16 * gib, availableBytes, usedPercent: 50, maiBytes: 0 },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus,
  };
}

function estimate(ramBytes: number, vramBytes = 0): MemoryEstimate {
  return { ramBytes, vramBytes, breakdown: { weights: 0, kvCache: 0, compute: 0, overhead: 0 }, method: 'formula' };
}

function listing(id: 'lmstudio' | 'embedded', status: BackendHealth['status'], models: ModelInfo[]): BackendListing {
  return { backend: { id } as ModelBackend, health: { id, status, detail: '' }, models, loaded: [] };
}

describe('categoryFor', () => {
  it.each([
    ['1.7B', 'small'],
    ['3.9B', 'small'],
    ['4B', 'medium'],
    ['8B', 'medium'],
    ['10B', 'medium'],
    ['14B', 'large'],
    ['8x7B', 'large'],
  ] as const)('%s parameters → %s', (paramsString, category) => {
    expect(categoryFor(model({ paramsString }), undefined)).toBe(category);
  });

  it('judges an unknown size by the file (~0.6 bytes a parameter at Q4)', () => {
    expect(categoryFor(model({ sizeBytes: 1.2e9 }), undefined)).toBe('small');
    expect(categoryFor(model({ sizeBytes: 4.5e9 }), undefined)).toBe('medium');
    expect(categoryFor(model({ sizeBytes: 12e9 }), undefined)).toBe('large');
  });

  it('the configured category wins over the size', () => {
    const configured = {
      key: 'm',
      displayName: 'M',
      category: 'large' as const,
      minMemoryBytes: 0,
      minVramBytes: 0,
      contextWindowTokens: 4096,
      capabilities: ['chat' as const, 'code' as const],
      fallback: [],
      download: null,
    };
    expect(categoryFor(model({ paramsString: '1B' }), configured)).toBe('large');
    expect(capabilitiesFor(model({ vision: true }), configured)).toEqual(['chat', 'code']);
  });

  it('capabilities of an unconfigured model come from what the backend knows', () => {
    expect(capabilitiesFor(model({ vision: true, trainedForToolUse: true }), undefined)).toEqual([
      'chat',
      'vision',
      'tools',
    ]);
  });
});

describe('fitsNow', () => {
  it.each([
    // 16 GiB machine: margin max(2 GiB, 15 % = 2.4 GiB) = 2.4 GiB.
    [10 * gib, 7 * gib, true],
    [10 * gib, 7.6 * gib, true],
    [10 * gib, 7.7 * gib, false],
    [2 * gib, 0.5 * gib, false],
  ])('available %d, needs %d → fits %s', (available, needed, fits) => {
    expect(fitsNow(estimate(needed), sample(available)).fits).toBe(fits);
  });

  it('counts what unloading the current model would free', () => {
    expect(fitsNow(estimate(8 * gib), sample(6 * gib)).fits).toBe(false);
    expect(fitsNow(estimate(8 * gib), sample(6 * gib), { ramBytes: 5 * gib, vramBytes: 0 }).fits).toBe(true);
  });

  it('checks VRAM on the GPU with the most free, keeping its margin, and names it', () => {
    const gpu = {
      index: 0,
      name: 'RTX 4060',
      vendor: 'nvidia' as const,
      vramTotalBytes: 8 * gib,
      vramUsedBytes: 3 * gib,
      vramFreeBytes: 5 * gib,
      utilizationPercent: 0,
      temperatureC: 40,
    };
    expect(fitsNow(estimate(gib, 3.9 * gib), sample(12 * gib, [gpu])).fits).toBe(true);
    const verdict = fitsNow(estimate(gib, 4.1 * gib), sample(12 * gib, [gpu]));
    expect(verdict.fits).toBe(false);
    expect(verdict.reason).toContain('RTX 4060');
    expect(fitsNow(estimate(gib, gib), sample(12 * gib)).reason).toContain('no GPU');
  });

  it('says what is needed and what is free', () => {
    expect(fitsNow(estimate(12 * gib), sample(10 * gib)).reason).toBe(
      'needs 12.0 GiB RAM; 7.6 GiB is free after keeping 2.4 GiB for the system',
    );
  });
});

describe('mergeListings', () => {
  const lmStudioModel = model({
    key: 'qwen/qwen3-4b',
    backend: 'lmstudio',
    path: 'Qwen/Qwen3-4B-GGUF/qwen3-4b-q4.gguf',
  });
  const sameFileEmbedded = model({ key: 'Qwen/Qwen3-4B-GGUF/qwen3-4b-q4' });
  const otherEmbedded = model({ key: 'stories260K' });

  it('lists a GGUF seen by both backends once, as LM Studio’s while it is connected', () => {
    const merged = mergeListings([
      listing('lmstudio', 'ready', [lmStudioModel]),
      listing('embedded', 'ready', [sameFileEmbedded, otherEmbedded]),
    ]);
    expect(merged.map((e) => e.model.key)).toEqual(['qwen/qwen3-4b', 'stories260K']);
  });

  it('falls back to the embedded engine’s entry when LM Studio is away', () => {
    const merged = mergeListings([
      listing('lmstudio', 'unavailable', []),
      listing('embedded', 'ready', [sameFileEmbedded, otherEmbedded]),
    ]);
    expect(merged.map((e) => e.model.key)).toEqual(['Qwen/Qwen3-4B-GGUF/qwen3-4b-q4', 'stories260K']);
  });
});

describe('buildCatalog', () => {
  it('estimates at the working context, marks the loaded model and explains an unusable one', async () => {
    const requests: number[] = [];
    const models = await buildCatalog({
      listings: [
        {
          ...listing('embedded', 'ready', [
            model({ key: 'big', maxContextLength: 32768 }),
            model({ key: 'tiny', maxContextLength: 2048 }),
            model({ key: 'broken', usable: false, unusableReason: 'truncated: 1.2 MiB of 2.4 MiB' }),
          ]),
          loaded: [{ identifier: 'tiny', key: 'tiny', backend: 'embedded', contextLength: 2048 }],
        },
      ],
      config: { models: [], fallbackChains: {} },
      sample: sample(10 * gib),
      estimate: async (_model, request) => {
        requests.push(request.contextLength);
        return estimate(gib);
      },
    });
    expect(requests).toEqual([4096, 2048]);
    expect(models.find((m) => m.key === 'tiny')).toMatchObject({ loaded: true, fits: true, reason: 'loaded now' });
    expect(models.find((m) => m.key === 'broken')).toMatchObject({
      usable: false,
      fits: false,
      estimate: null,
      reason: 'truncated: 1.2 MiB of 2.4 MiB',
    });
  });

  it('checks the fit of a model loaded with a smaller window than Mai needs: using it means a second copy', async () => {
    const models = await buildCatalog({
      listings: [
        {
          ...listing('lmstudio', 'ready', [model({ key: 'qwen', backend: 'lmstudio', maxContextLength: 32768 })]),
          // The person loaded it in LM Studio with 1024 tokens; Mai works with 4096.
          loaded: [{ identifier: 'qwen', key: 'qwen', backend: 'lmstudio', contextLength: 1024 }],
        },
      ],
      config: { models: [], fallbackChains: {} },
      sample: sample(1 * gib),
      estimate: async () => estimate(4 * gib),
    });
    expect(models[0]).toMatchObject({ loaded: true, fits: false });
    expect(models[0]?.reason).not.toBe('loaded now');
  });

  it('asks for an all-RAM estimate where the power policy keeps models off the GPU', async () => {
    const gpu = {
      index: 0,
      name: 'RTX 4070 Laptop',
      vendor: 'nvidia' as const,
      vramTotalBytes: 8 * gib,
      vramUsedBytes: 0,
      vramFreeBytes: 8 * gib,
      utilizationPercent: 0,
      temperatureC: 40,
    };
    const gpuLayersAsked = async (gpuOffload: boolean) => {
      const asked: number[] = [];
      await buildCatalog({
        listings: [listing('embedded', 'ready', [model({ key: 'big', maxContextLength: 8192 })])],
        config: { models: [], fallbackChains: {} },
        sample: sample(10 * gib, [gpu]),
        estimate: async (_model, request) => {
          asked.push(request.gpuLayers);
          return estimate(gib);
        },
        gpuOffload,
      });
      return asked;
    };
    expect((await gpuLayersAsked(true))[0]).toBeGreaterThan(0);
    expect(await gpuLayersAsked(false)).toEqual([0]);
  });

  it('uses the configured window when the backend does not know it', () => {
    expect(workingContextLength(model({ maxContextLength: null }), undefined)).toBe(4096);
  });
});
