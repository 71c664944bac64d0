import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuSampleSchema } from '../../../shared/contract';
import { findOnPath } from './findOnPath';
import { defaultNvmlLibraryPaths, openNvml } from './nvmlLibrary';
import { createNvmlSampler } from './NvmlSampler';

/** NVIDIA's kernel driver publishes this directory; without it libnvidia-ml has no GPU to answer for. */
const hasNvidiaDriver = existsSync('/proc/driver/nvidia');

describe('NVML on this machine', () => {
  it.runIf(!hasNvidiaDriver)('is simply absent without a driver: undefined, no throw', async () => {
    await expect(openNvml()).resolves.toBeUndefined();
    await expect(createNvmlSampler()).resolves.toBeUndefined();
  });

  it.runIf(hasNvidiaDriver)('reads every board the driver shows', async () => {
    const sampler = await createNvmlSampler();
    const gpus = (await sampler?.read()) ?? [];
    expect(gpus.length).toBeGreaterThan(0);
    for (const gpu of gpus) expect(GpuSampleSchema.parse(gpu).vramTotalBytes).toBeGreaterThan(0);
    sampler?.close();
  });

  it('skips paths that do not load and answers undefined when none does', async () => {
    await expect(openNvml(['/nonexistent/libnvidia-ml.so.1', 'libdefinitely-not-nvml.so'])).resolves.toBeUndefined();
    await expect(createNvmlSampler([])).resolves.toBeUndefined();
  });

  it('knows where each platform keeps the library', () => {
    expect(defaultNvmlLibraryPaths('linux')).toEqual(['libnvidia-ml.so.1']);
    expect(defaultNvmlLibraryPaths('win32')[0]).toBe('nvml.dll');
    expect(defaultNvmlLibraryPaths('darwin')).toEqual([]);
  });
});

/** A C compiler builds the stand-in library; without one (or off Linux) the FFI test cannot run here. */
const compiler = process.platform === 'linux' ? (findOnPath('cc') ?? findOnPath('gcc')) : undefined;

describe.runIf(compiler)('NVML bindings against a stand-in libnvidia-ml (same ABI, no GPU)', () => {
  let dir: string;
  let library: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mai-fake-nvml-'));
    library = path.join(dir, 'libnvidia-ml.so.1');
    const source = fileURLToPath(new URL('./fakeNvml.c', import.meta.url));
    execFileSync(compiler as string, ['-shared', '-fPIC', '-o', library, source]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('marshals names, 64-bit memory figures and unsupported fields', async () => {
    const sampler = await createNvmlSampler(['/nonexistent/libnvidia-ml.so.1', library]);
    expect(sampler?.deviceCount).toBe(2);
    const gpus = (await sampler?.read()) ?? [];
    expect(gpus).toEqual([
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        vendor: 'nvidia',
        vramTotalBytes: 85_520_809_984,
        vramUsedBytes: 12_884_901_888,
        vramFreeBytes: 85_520_809_984 - 12_884_901_888,
        utilizationPercent: 37,
        temperatureC: 54,
      },
      {
        index: 1,
        name: 'NVIDIA GeForce RTX 4090',
        vendor: 'nvidia',
        vramTotalBytes: 25_757_220_864,
        vramUsedBytes: 536_870_912,
        vramFreeBytes: 25_757_220_864 - 536_870_912,
        utilizationPercent: null,
        temperatureC: null,
      },
    ]);
    for (const gpu of gpus) GpuSampleSchema.parse(gpu);
    sampler?.close();
  });

  it('answers the last figures instead of queueing behind a read still in flight', async () => {
    const sampler = await createNvmlSampler([library]);
    const first = await sampler?.read();
    const inFlight = sampler?.read();
    const meanwhile = sampler?.read();
    expect(meanwhile).toEqual(first);
    await inFlight;
    sampler?.close();
  });
});
