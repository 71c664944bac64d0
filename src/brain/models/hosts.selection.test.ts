/**
 * Models on hosts in the catalog and in selection: their memory is the host's (never counted here, never freed
 * here), this machine is preferred while a model fits here, and the decision names the host it moves to.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../../shared/contract';
import type { MemoryEstimate } from '../backends/estimate';
import type { BackendId, ModelBackend, ModelHost, ModelInfo } from '../backends/ModelBackend';
import { sampleWith } from '../resources/testSamples';
import { buildCatalog, mergeListings, type BackendListing } from './catalog';
import { hostFit } from './hostFit';
import { selectModel } from './selectModel';
import { gib, inputs, listing, rejectionOf } from './selectModel.fixtures';

const studio = (needsGib: number | null, freeGib: number | null = 60) => ({
  name: 'studio-pc',
  needsBytes: needsGib === null ? null : needsGib * gib,
  freeBytes: freeGib === null ? null : freeGib * gib,
});
const estimate = (ramBytes: number): MemoryEstimate => ({
  ramBytes,
  vramBytes: 0,
  breakdown: { weights: ramBytes, kvCache: 0, compute: 0, overhead: 0 },
  method: 'formula',
});

function info(key: string, backend: BackendId, host?: ModelHost): ModelInfo {
  return {
    key,
    displayName: key,
    backend,
    path: backend === 'embedded' ? `/models/${key}.gguf` : null,
    sizeBytes: gib,
    paramsString: '1B',
    architecture: 'llama',
    quantization: 'Q4_K_M',
    maxContextLength: 8192,
    vision: false,
    trainedForToolUse: false,
    usable: true,
    unusableReason: null,
    gguf: null,
    ...(host ? { host } : {}),
  };
}

function listed(id: BackendId, models: ModelInfo[], loaded: BackendListing['loaded'] = []): BackendListing {
  return { backend: { id } as ModelBackend, health: { id, status: 'ready', detail: '' }, models, loaded };
}

describe('a host in the catalog', () => {
  const host: ModelHost = { name: 'studio-pc', capacityBytes: 64 * gib, usedBytes: 4 * gib };

  it('costs this machine nothing, and fits by the room the host has', () => {
    const fields = hostFit({
      host,
      estimate: estimate(8 * gib),
      contextLength: 4096,
      reusable: false,
      loadedBytes: null,
      sizeBytes: gib,
    });
    expect(fields).toMatchObject({
      estimate: { ramBytes: 0, vramBytes: 0, contextLength: 4096 },
      host: { name: 'studio-pc', needsBytes: 8 * gib, freeBytes: 60 * gib },
      fits: true,
      reason: 'runs on studio-pc: needs 8.0 GiB there, 60.0 GiB of its 64.0 GiB free for models',
    });
    const big = hostFit({
      host,
      estimate: estimate(70 * gib),
      contextLength: 4096,
      reusable: false,
      loadedBytes: null,
      sizeBytes: gib,
    });
    expect(big).toMatchObject({
      fits: false,
      reason: expect.stringMatching(/^does not fit on studio-pc: needs 70.0 GiB there/),
    });
  });

  it('fits when loaded there, and leaves a host that says nothing of its memory to decide', () => {
    const loaded = hostFit({
      host,
      estimate: estimate(70 * gib),
      contextLength: 4096,
      reusable: true,
      loadedBytes: 9 * gib,
      sizeBytes: gib,
    });
    expect(loaded).toMatchObject({ fits: true, reason: 'loaded on studio-pc', host: { needsBytes: 9 * gib } });
    const silent = { name: 'rig', capacityBytes: null, usedBytes: null };
    const unknown = hostFit({
      host: silent,
      estimate: estimate(gib),
      contextLength: 4096,
      reusable: false,
      loadedBytes: null,
      sizeBytes: 0,
    });
    expect(unknown).toMatchObject({ fits: true, host: { needsBytes: gib, freeBytes: null } });
    expect(unknown.reason).toContain('its engine decides');
  });

  it('is judged by the host even when this machine is full', async () => {
    const full: ResourceSample = sampleWith({ memoryUsedPercent: 97 });
    const catalog = await buildCatalog({
      listings: [
        listed('embedded', [info('here', 'embedded')]),
        listed('ollama', [info('studio-pc/far', 'ollama', host)]),
      ],
      config: { models: [], fallbackChains: {} },
      sample: full,
      estimate: async () => estimate(2 * gib),
    });
    expect(catalog.find((m) => m.key === 'here')?.fits).toBe(false);
    expect(catalog.find((m) => m.key === 'studio-pc/far')).toMatchObject({ fits: true, estimate: { ramBytes: 0 } });
  });

  it("never lets a host's LM Studio hide this machine's own GGUF file, and keeps the first of a key listed twice", () => {
    const remote = { ...info('studio-pc/qwen', 'lmstudio', host), path: 'qwen.gguf' };
    const entries = mergeListings([
      listed('lmstudio', [remote]),
      listed('embedded', [info('qwen', 'embedded')]),
      listed('openai', [info('qwen', 'openai')]),
    ]);
    expect(entries.map((e) => `${e.model.backend}:${e.model.key}`)).toEqual([
      'lmstudio:studio-pc/qwen',
      'embedded:qwen',
    ]);
  });
});

describe('selection across hosts', () => {
  const onStudio = (needsGib: number, extra: Parameters<typeof listing>[1] = {}) =>
    listing('studio-pc/big', { category: 'medium', ramGib: 0, backend: 'ollama', host: studio(needsGib), ...extra });

  it('prefers this machine while a model fits here, and says why the host was passed over', () => {
    const result = selectModel(inputs({ catalog: [listing('here', { ramGib: 1 }), onStudio(8)] }));
    expect(result.choice?.key).toBe('here');
    expect(rejectionOf(result, 'studio-pc/big')).toContain('this machine is preferred while a model fits here');
  });

  it('moves to a host with room when nothing fits here, and the reason names the host and the pressure', () => {
    const result = selectModel(
      inputs({ sample: sampleWith({ memoryUsedPercent: 91 }), catalog: [listing('here', { ramGib: 4 }), onStudio(8)] }),
    );
    expect(result.choice?.key).toBe('studio-pc/big');
    expect(result.reason).toMatch(/^moved to studio-pc: RAM 91 % here; chose studio-pc\/big/);
    expect(result.degraded).toBe(false);
  });

  it('passes over a host without room, and comes back here when this machine clears', () => {
    const full = sampleWith({ memoryUsedPercent: 91 });
    const noRoom = onStudio(80, { fits: false, reason: 'does not fit on studio-pc: needs 80 GiB there' });
    const stuck = selectModel(inputs({ sample: full, catalog: [listing('here', { ramGib: 4 }), noRoom] }));
    expect(rejectionOf(stuck, 'studio-pc/big')).toContain('does not fit on studio-pc');
    const cleared = selectModel(
      inputs({ catalog: [listing('here', { ramGib: 1 }), onStudio(8)], currentKey: 'studio-pc/big' }),
    );
    expect(cleared.choice?.key).toBe('here');
    expect(cleared.reason).toMatch(/^back on this machine: RAM 50 % here; chose here/);
  });

  it("never counts a host's model as memory freed here when it is the current one", () => {
    // Leaving a host's model gives nothing back here: a local model that does not fit still does not.
    const result = selectModel(
      inputs({
        sample: sampleWith({ memoryUsedPercent: 91 }),
        catalog: [listing('here', { ramGib: 4 }), onStudio(8)],
        currentKey: 'studio-pc/big',
        freedByCurrent: { ramBytes: 0, vramBytes: 0 },
      }),
    );
    expect(result.choice?.key).toBe('studio-pc/big');
    expect(result.reason).toMatch(/^on studio-pc: RAM 91 % here; kept studio-pc\/big/);
  });
});
