import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../test/fixtures';
import { startLmStudioServer } from '../../../test/lmstudio-server';
import type { ModelListing } from '../../shared/contract';
import { EmbeddedBackend } from '../backends/embedded/EmbeddedBackend';
import { createLmStudioBackend } from '../backends/lmstudio';
import type { LoadOptions, ModelBackend } from '../backends/ModelBackend';
import { systemClock } from '../clock';
import { silentLogger } from '../logger';
import { failureBackoffInitialMs, FailureBackoff } from './failureBackoff';
import { shouldAwaitMemoryRecovery, waitForMemoryRecovery } from './memoryRecovery';
import { ModelManager } from './ModelManager';

function listing(key: string, ramBytes = 16 * 1024 ** 2): ModelListing {
  return {
    key,
    displayName: key,
    backend: 'embedded',
    category: 'small',
    sizeBytes: 1,
    contextWindow: 2048,
    capabilities: ['chat'],
    estimate: { ramBytes, vramBytes: 0, contextLength: 256, method: 'formula' },
    fits: true,
    reason: '',
    loaded: false,
    usable: true,
  };
}

let engine: EmbeddedBackend;
const loads: string[] = [];
const unloads: string[] = [];
/** The real engine, with its load and unload calls recorded (the manager is under test, not the engine). */
let recorded: ModelBackend;

beforeAll(async () => {
  engine = new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false });
  await engine.listModels();
  recorded = Object.assign(Object.create(engine) as EmbeddedBackend, {
    load: (key: string, options?: LoadOptions) => {
      loads.push(key);
      return engine.load(key, options);
    },
    unload: (identifier: string) => {
      unloads.push(identifier);
      return engine.unload(identifier);
    },
  });
});

afterAll(async () => {
  await engine.close();
});

let availableBytes = 8 * 1024 ** 3;

function manager() {
  loads.length = 0;
  unloads.length = 0;
  return new ModelManager({
    backends: [recorded],
    clock: systemClock,
    logger: silentLogger,
    // Memory comes back promptly after each unload: every reading is 64 MiB above the last.
    readAvailableBytes: async () => (availableBytes += 64 * 1024 ** 2),
  });
}

describe('ModelManager', () => {
  it('shares one load between concurrent requests for the same model', async () => {
    const models = manager();
    const [a, b, c] = await Promise.all([
      models.ensure(listing('stories260K'), 256),
      models.ensure(listing('stories260K'), 256),
      models.ensure(listing('stories260K'), 256),
    ]);
    expect(loads).toEqual(['stories260K']);
    expect(a).toBe(b);
    expect(b).toBe(c);
    await models.close();
    expect(unloads).toEqual([a?.identifier]);
  });

  it('loads one model at a time, unloading the old one first', async () => {
    const models = manager();
    const first = models.ensure(listing('stories260K'), 256);
    const second = models.ensure(listing('llama-2-tiny-random'), 256);
    const [one, two] = await Promise.all([first, second]);
    expect(loads).toEqual(['stories260K', 'llama-2-tiny-random']);
    expect(unloads).toEqual([one.identifier]);
    expect(models.current()?.key).toBe('llama-2-tiny-random');
    expect(two.contextLength).toBeGreaterThanOrEqual(256);
    expect(await engine.listLoaded()).toHaveLength(1);
    await models.close();
    expect(await engine.listLoaded()).toHaveLength(0);
  });

  it('releases the active model (stepping aside): unloaded, none current, and nothing to release after', async () => {
    const models = manager();
    const loaded = await models.ensure(listing('stories260K'), 256);
    expect(await models.release()).toBe(loaded);
    expect(unloads).toEqual([loaded.identifier]);
    expect(models.current()).toBeNull();
    expect(await engine.listLoaded()).toHaveLength(0);
    expect(await models.release()).toBeNull();
    expect(unloads).toHaveLength(1);
  });

  it('reloads the same model only when a larger context is needed', async () => {
    const models = manager();
    await models.ensure(listing('stories260K'), 256);
    await models.ensure(listing('stories260K'), 128);
    expect(loads).toEqual(['stories260K']);
    await models.ensure(listing('stories260K'), 1024);
    expect(loads).toEqual(['stories260K', 'stories260K']);
    expect(models.current()?.contextLength).toBeGreaterThanOrEqual(1024);
    await models.close();
  });

  it('records a failed load so selection avoids the model, and rethrows a named error', async () => {
    const models = manager();
    await expect(models.ensure(listing('no-such-model'), 256)).rejects.toMatchObject({ code: 'not_found' });
    expect(models.avoided().get('no-such-model')).toMatch(/failed 1×.*avoided for \d+ s more/);
    expect(models.current()).toBeNull();
  });

  it('leaves a model the person loaded in LM Studio when switching away, and waits for no memory', async () => {
    const server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    await server.loadAsPerson('stories260k', { contextLength: 512 });
    const lmStudio = createLmStudioBackend({ url: server.url, callTimeoutMs: 5_000 });
    let memoryReadings = 0;
    const models = new ModelManager({
      backends: [lmStudio],
      clock: systemClock,
      logger: silentLogger,
      readAvailableBytes: async () => (memoryReadings += 1),
    });
    // Large enough that unloading a model Mai loaded would be waited for.
    const inLmStudio = (key: string) => ({ ...listing(key, 2 * 1024 ** 3), backend: 'lmstudio' as const });
    try {
      expect(await models.ensure(inLmStudio('stories260k'), 256)).toMatchObject({ reused: true, contextLength: 512 });
      await models.ensure(inLmStudio('llama-2-tiny-random'), 256);
      expect(memoryReadings).toBe(0);
      expect(server.instances.identifiers().sort()).toEqual(['llama-2-tiny-random', 'stories260k']);
      await models.close();
      expect(server.instances.identifiers()).toEqual(['stories260k']);
    } finally {
      await lmStudio.close();
      await server.close();
    }
  });

  it('switches between pinned and automatic', () => {
    const models = manager();
    expect(models.mode).toBe('auto');
    models.pin('stories260K');
    expect([models.mode, models.pinnedKey]).toEqual(['pinned', 'stories260K']);
    models.automatic();
    expect([models.mode, models.pinnedKey]).toEqual(['auto', null]);
  });
});

describe('FailureBackoff', () => {
  it('avoids a failed model for 10 s, doubling per failure up to 5 min, and forgets after a success', () => {
    const backoff = new FailureBackoff();
    expect(backoff.recordFailure('m', 'boom', 0)).toBe(failureBackoffInitialMs);
    expect(backoff.avoided(9_999).has('m')).toBe(true);
    expect(backoff.avoided(10_000).has('m')).toBe(false);
    expect(backoff.recordFailure('m', 'boom', 10_000)).toBe(20_000);
    const waits = [3, 4, 5, 6, 7, 8, 9].map(() => backoff.recordFailure('m', 'boom', 0));
    expect(waits).toEqual([40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
    backoff.recordSuccess('m');
    expect(backoff.recordFailure('m', 'boom', 0)).toBe(failureBackoffInitialMs);
  });
});

describe('shouldAwaitMemoryRecovery', () => {
  it.each([
    ['embedded', 8 * 1024 ** 3, false],
    ['lmstudio', 8 * 1024 ** 3, true],
    ['lmstudio', 256 * 1024 ** 2, true],
    ['lmstudio', 255 * 1024 ** 2, false],
  ] as const)('%s freeing %d bytes → wait %s', (backend, bytes, wait) => {
    expect(shouldAwaitMemoryRecovery(backend, bytes)).toBe(wait);
  });
});

describe('waitForMemoryRecovery', () => {
  it('returns as soon as 75 % of the expected memory is back', async () => {
    let now = 0;
    const readings = [100, 150, 180];
    const result = await waitForMemoryRecovery({
      readAvailableBytes: async () => readings.shift() ?? 180,
      baselineAvailableBytes: 100,
      expectedFreedBytes: 100,
      nowMs: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    expect(result).toEqual({ waitedMs: 500, recovered: true });
  });

  it('gives up after 5 s when the memory never comes back', async () => {
    let now = 0;
    const result = await waitForMemoryRecovery({
      readAvailableBytes: async () => 100,
      baselineAvailableBytes: 100,
      expectedFreedBytes: 100,
      nowMs: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    expect(result).toEqual({ waitedMs: 5000, recovered: false });
  });
});
