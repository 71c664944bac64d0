import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuVendorOf, inventoryGpusFrom, readInventory } from './inventory';
import { gpuWith } from './testSamples';

const gib = 1024 ** 3;

describe('readInventory on this machine', () => {
  it('reads CPU, cores and memory through systeminformation, matching the OS', async () => {
    const inventory = await readInventory();
    expect(inventory.source).toBe('systeminformation');
    expect(inventory.cpuCores).toBe(os.cpus().length);
    expect(inventory.cpuPhysicalCores).toBeGreaterThan(0);
    expect(inventory.cpuPhysicalCores).toBeLessThanOrEqual(inventory.cpuCores);
    expect(inventory.cpuModel.length).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      const memTotalKib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
      expect(inventory.totalMemoryBytes).toBe(memTotalKib * 1024);
    }
    expect(Array.isArray(inventory.gpus)).toBe(true);
  });

  it('puts the live sampler’s exact GPU figures first', async () => {
    const inventory = await readInventory({ liveGpus: [gpuWith(0, 0, 24 * gib)] });
    expect(inventory.gpus[0]).toEqual({ name: 'Test GPU 0', vendor: 'nvidia', vramTotalBytes: 24 * gib });
  });
});

describe('readInventory when systeminformation misbehaves', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mai-si-'));
    // graphics() blocks its thread for good, as execFileSync('nvidia-smi') does on a hung driver.
    writeFileSync(
      path.join(dir, 'hangingGraphics.cjs'),
      `exports.cpu = async () => ({ manufacturer: 'Stand-in', brand: 'CPU 9000', cores: 6, physicalCores: 3 });
       exports.mem = async () => ({ total: 12345678 });
       exports.graphics = async () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); };`,
    );
    writeFileSync(path.join(dir, 'throwing.cjs'), `throw new Error('broken install');`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A graphics() that never returns would hang here: only readInventory's own timeout lets this test end.
  it('gives up on a hung graphics() after the timeout, keeping CPU and memory and the live GPUs', async () => {
    const inventory = await readInventory({
      timeoutMs: 500,
      systeminformationPath: path.join(dir, 'hangingGraphics.cjs'),
      liveGpus: [gpuWith(0, 0, 8 * gib)],
    });
    expect(inventory).toEqual({
      cpuModel: 'Stand-in CPU 9000',
      cpuCores: 6,
      cpuPhysicalCores: 3,
      totalMemoryBytes: 12345678,
      gpus: [{ name: 'Test GPU 0', vendor: 'nvidia', vramTotalBytes: 8 * gib }],
      source: 'systeminformation',
    });
  });

  it('falls back to os.* figures when systeminformation cannot load', async () => {
    const inventory = await readInventory({ timeoutMs: 5000, systeminformationPath: path.join(dir, 'throwing.cjs') });
    expect(inventory).toMatchObject({
      cpuCores: os.availableParallelism(),
      totalMemoryBytes: os.totalmem(),
      gpus: [],
      source: 'os',
    });
  });
});

describe('inventoryGpusFrom', () => {
  const controllers = [
    { vendor: 'NVIDIA Corporation', model: 'NVIDIA GeForce RTX 3060', vram: 12288, vramDynamic: false },
    { vendor: 'Advanced Micro Devices, Inc. [AMD/ATI]', model: 'Navi 31', vram: 256, vramDynamic: false },
    { vendor: 'Intel Corporation', model: 'UHD Graphics 770', vram: 256, vramDynamic: true },
    { vendor: 'Apple', model: 'Apple M2', vram: null, vramDynamic: true },
  ];

  it('trusts systeminformation’s VRAM only for NVIDIA (elsewhere it is the PCI BAR size)', () => {
    expect(inventoryGpusFrom(controllers, [])).toEqual([
      { name: 'NVIDIA GeForce RTX 3060', vendor: 'nvidia', vramTotalBytes: 12288 * 1024 * 1024 },
      { name: 'Navi 31', vendor: 'amd', vramTotalBytes: null },
      { name: 'UHD Graphics 770', vendor: 'intel', vramTotalBytes: null },
      { name: 'Apple M2', vendor: 'apple', vramTotalBytes: null },
    ]);
  });

  it('replaces a vendor’s controllers by the live sampler’s figures', () => {
    const live = [{ ...gpuWith(0, 0, 24 * gib), vendor: 'amd' as const, name: 'AMD Radeon (device 0x744c)' }];
    const gpus = inventoryGpusFrom(controllers, live);
    expect(gpus[0]).toEqual({ name: 'AMD Radeon (device 0x744c)', vendor: 'amd', vramTotalBytes: 24 * gib });
    expect(gpus.filter((g) => g.vendor === 'amd')).toHaveLength(1);
  });

  it.each([
    ['NVIDIA Corporation', 'nvidia'],
    ['Advanced Micro Devices, Inc. [AMD/ATI]', 'amd'],
    ['ATI Technologies Inc', 'amd'],
    ['Intel Corporation', 'intel'],
    ['Apple', 'apple'],
    ['Matrox Electronics Systems Ltd.', 'other'],
  ])('maps vendor %s to %s', (text, vendor) => {
    expect(gpuVendorOf(text)).toBe(vendor);
  });
});
