import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryEstimate } from '../backends/estimate';
import type { ModelInfo } from '../backends/ModelBackend';
import { systemClock } from '../clock';
import { withMeasurement } from './measuredEstimate';
import { MeasurementStore, type Measurement } from './measurementStore';
import { LoadMeasurements, type MemoryReadings } from './measureLoad';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'mai-measurements-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const gib = 1024 ** 3;
const record: Measurement = {
  backend: 'embedded',
  path: '/models/m.gguf',
  sizeBytes: 4_920_739_200,
  mtimeMs: 1_700_000_000_000,
  contextLength: 4096,
  ramBytes: 5.5 * gib,
  vramBytes: null,
  quality: 'working-set',
  measuredAtMs: 1,
};
const identity = {
  backend: 'embedded',
  path: '/models/m.gguf',
  sizeBytes: record.sizeBytes,
  mtimeMs: 1_700_000_000_000,
};

describe('the measurements file', () => {
  it('keeps a measurement across restarts while the file keeps its size and mtime', () => {
    const file = path.join(dir, 'measurements.json');
    new MeasurementStore(file).put(record);
    expect(new MeasurementStore(file).get(identity)).toEqual(record);
    expect(new MeasurementStore(file).get({ ...identity, mtimeMs: identity.mtimeMs + 1 })).toBeNull();
    // The changed file's record is gone from disk too, not just ignored.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, measurements: [] });
  });

  it('drops one whose file changed size; matches by size alone where the mtime is unknown', () => {
    const store = new MeasurementStore(null);
    store.put({ ...record, mtimeMs: null });
    expect(store.get(identity)).not.toBeNull();
    expect(store.get({ ...identity, sizeBytes: 1 })).toBeNull();
    expect(store.get(identity)).toBeNull();
  });

  it('reads a broken file as empty and replaces it at the next measurement', () => {
    const file = path.join(dir, 'measurements.json');
    writeFileSync(file, '{ not json');
    const store = new MeasurementStore(file);
    expect(store.get(identity)).toBeNull();
    store.put(record);
    expect(new MeasurementStore(file).get(identity)).toEqual(record);
  });
});

const estimate = (ramBytes: number, kvCache: number): MemoryEstimate => ({
  ramBytes,
  vramBytes: 0,
  breakdown: { weights: 0, kvCache, compute: 64 * 2 ** 20, overhead: 0 },
  method: 'engine',
});

describe('a measured figure at another context', () => {
  it('moves by what the estimate says changes between the contexts (the KV cache)', () => {
    const atMeasured = estimate(5 * gib, 0.5 * gib);
    const at16k = estimate(6.5 * gib, 2 * gib);
    expect(withMeasurement(at16k, atMeasured, record)).toMatchObject({
      ramBytes: 7 * gib,
      vramBytes: 0,
      method: 'measured',
      note: 'measured 5.5 GiB at its last load (4,096 tokens)',
    });
  });
});

describe('a load in another process (LM Studio)', () => {
  const model: ModelInfo = {
    key: 'qwen3-8b',
    displayName: 'Qwen3 8B',
    backend: 'lmstudio',
    path: 'qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf',
    sizeBytes: 5_027_784_512,
    paramsString: '8B',
    architecture: 'qwen3',
    quantization: 'Q4_K_M',
    maxContextLength: 40_960,
    vision: false,
    trainedForToolUse: true,
    usable: true,
    unusableReason: null,
    gguf: null,
  };

  /** MemAvailable as it reads before and after the load; the process's own figures do not apply here. */
  async function measureFall(fallBytes: number, reused = false) {
    const available = [20 * gib, 20 * gib - fallBytes];
    const readings: MemoryReadings = {
      processAnonBytes: () => null,
      memAvailableBytes: () => available.shift() ?? null,
      mappedFile: () => null,
      clearReferenced: () => false,
    };
    const store = new MeasurementStore(null);
    const measurements = new LoadMeasurements({ store, clock: systemClock, readings });
    measurements.remember(model, { contextLength: 4096, gpuLayers: 0 }, estimate(6 * gib, 0.5 * gib));
    await measurements.begin('lmstudio', model.key).finish({ contextLength: 4096, reused });
    return measurements.lookup(model);
  }

  it('keeps a MemAvailable fall above the estimate: the engine took more than Mai expected', async () => {
    expect(await measureFall(7 * gib)).toMatchObject({ ramBytes: 7 * gib, quality: 'above-estimate', mtimeMs: null });
  });

  it.each([
    ['below the estimate (a mapped file hides from MemAvailable)', 4 * gib, false],
    ['over twice the estimate (another program took memory meanwhile)', 13 * gib, false],
    ['of an instance that was already loaded', 7 * gib, true],
  ])('learns nothing from a fall %s', async (_, fallBytes, reused) => {
    expect(await measureFall(fallBytes, reused)).toBeNull();
  });
});
