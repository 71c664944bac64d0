/** The manager's side of relief steps and battery loads, on the real engine with a small KV-heavy model. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKvHeavyModel } from '../../../test/gguf/kvHeavyModel';
import type { ModelListing } from '../../shared/contract';
import { EmbeddedBackend } from '../backends/embedded/EmbeddedBackend';
import type { LoadOptions, ModelBackend } from '../backends/ModelBackend';
import { systemClock } from '../clock';
import { silentLogger } from '../logger';
import { ModelManager } from './ModelManager';

const mib = 1024 ** 2;

const kvHeavy: ModelListing = {
  key: 'kv-heavy',
  displayName: 'KV-heavy llama',
  backend: 'embedded',
  category: 'small',
  sizeBytes: 1,
  contextWindow: 8192,
  capabilities: ['chat'],
  estimate: { ramBytes: 12 * mib, vramBytes: 4 * mib, contextLength: 2048, method: 'formula' },
  fits: true,
  reason: '',
  loaded: false,
  usable: true,
};

let dir: string;
let engine: EmbeddedBackend;
const loads: LoadOptions[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mai-manager-relief-'));
  // Two layers are enough here: what is checked is which context the model has, not what it frees.
  writeKvHeavyModel(dir, { layers: 2 });
  engine = new EmbeddedBackend({ modelsDirs: [dir], threads: 1, gpu: false });
  await engine.listModels();
}, 60_000);
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real engine with its loads recorded; `reconfigurable: false` hides its reconfigure, as LM Studio has none. */
function backend(reconfigurable: boolean): ModelBackend {
  return Object.assign(Object.create(engine) as EmbeddedBackend, {
    load: (key: string, options?: LoadOptions) => {
      loads.push(options ?? {});
      return engine.load(key, options);
    },
    ...(reconfigurable ? {} : { reconfigure: undefined }),
  });
}

function manager(reconfigurable: boolean, gpuOffload: LoadOptions['gpuOffload'] = 'auto') {
  loads.length = 0;
  return new ModelManager({
    backends: [backend(reconfigurable)],
    clock: systemClock,
    logger: silentLogger,
    readAvailableBytes: async () => 8 * 1024 ** 3,
    gpuOffload: () => gpuOffload,
  });
}

describe('ModelManager.reconfigure', () => {
  it.each([
    [true, 1],
    [false, 2],
  ])(
    'gives the model a smaller window and a q8_0 cache (a new context: %s, loads: %i)',
    async (reconfigurable, loadCount) => {
      const models = manager(reconfigurable);
      const loaded = await models.ensure(kvHeavy, 2048);
      const stepped = await models.reconfigure(
        kvHeavy,
        { contextLength: 1024, kvCacheType: 'q8_0' },
        { ramBytes: 9 * mib, vramBytes: 0 },
      );
      expect(stepped).toMatchObject({ key: 'kv-heavy', contextLength: 1024, kvCacheType: 'q8_0' });
      expect(stepped).toMatchObject({ loadedContextLength: 2048, estimateRamBytes: 9 * mib, estimateVramBytes: 0 });
      expect(await engine.contextLength(stepped.identifier)).toBe(1024);
      expect(loads).toHaveLength(loadCount);
      if (!reconfigurable) expect(loads[1]).toMatchObject({ contextLength: 1024, kvCacheType: 'q8_0' });
      else expect(stepped.identifier).toBe(loaded.identifier);
      // The next message asks for the working window: the shrunk model still serves it, no reload undoes the step.
      expect(await models.ensure(kvHeavy, 2048)).toBe(stepped);
      expect(loads).toHaveLength(loadCount);
      await models.close();
    },
  );

  it('refuses a model that is not the active one', async () => {
    const models = manager(true);
    await expect(
      models.reconfigure(kvHeavy, { contextLength: 1024 }, { ramBytes: 0, vramBytes: 0 }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('ModelManager on a low battery', () => {
  it('loads with no GPU offload and counts what the estimate put in VRAM as RAM', async () => {
    const models = manager(true, 'off');
    const active = await models.ensure(kvHeavy, 2048);
    expect(loads[0]).toMatchObject({ gpuOffload: 'off' });
    expect(active).toMatchObject({ estimateRamBytes: 16 * mib, estimateVramBytes: 0 });
    await models.close();
  });
});
