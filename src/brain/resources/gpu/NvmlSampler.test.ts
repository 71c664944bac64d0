import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as KoffiModule from 'koffi';
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
  /** A sysfs tree with no PCI devices: no board is known to sleep, so every board is read. */
  let emptySysfs: string;
  /** Figure queries (memory, utilisation, temperature) the stand-in has answered for a board. */
  let queryCount: (index: number) => number;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mai-fake-nvml-'));
    library = path.join(dir, 'libnvidia-ml.so.1');
    emptySysfs = path.join(dir, 'empty-sys');
    mkdirSync(emptySysfs);
    const source = fileURLToPath(new URL('./fakeNvml.c', import.meta.url));
    execFileSync(compiler as string, ['-shared', '-fPIC', '-o', library, source]);
    // The same path loads the same library the sampler binds, so its counters are the ones the sampler moved.
    const koffi = createRequire(import.meta.url)('koffi') as typeof KoffiModule;
    const counter = koffi.load(library).func('fakeNvmlQueryCount', 'uint32_t', ['uint32_t']);
    queryCount = (index) => Number(counter(index));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes <root>/bus/pci/devices/<address>/power/runtime_status, as the kernel shows a board's runtime PM. */
  function runtimeStatus(root: string, address: string, status: string): void {
    const power = path.join(root, 'bus', 'pci', 'devices', address, 'power');
    mkdirSync(power, { recursive: true });
    writeFileSync(path.join(power, 'runtime_status'), `${status}\n`);
  }

  it('marshals names, 64-bit memory figures and unsupported fields', async () => {
    const sampler = await createNvmlSampler(['/nonexistent/libnvidia-ml.so.1', library], { sysfsRoot: emptySysfs });
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

  it('never queries a board the kernel has runtime-suspended: last figures, marked asleep and stale', async () => {
    const sysfs = mkdtempSync(path.join(dir, 'sys-'));
    // The stand-in's boards sit at 01:00.0 and 02:00.0 (its nvmlDeviceGetPciInfo_v3).
    runtimeStatus(sysfs, '0000:01:00.0', 'active');
    runtimeStatus(sysfs, '0000:02:00.0', 'suspended');
    const sampler = await createNvmlSampler([library], { sysfsRoot: sysfs });
    const before = [queryCount(0), queryCount(1)];
    const first = (await sampler?.read()) ?? [];
    const second = (await sampler?.read()) ?? [];
    // Board 0 answered three queries per read (memory, utilisation, temperature); board 1 none at all.
    expect([queryCount(0) - (before[0] ?? 0), queryCount(1) - (before[1] ?? 0)]).toEqual([6, 0]);
    expect(first[0]).toMatchObject({ index: 0, utilizationPercent: 37 });
    expect(first[0]?.asleep).toBeUndefined();
    expect(second[1]).toMatchObject({ index: 1, name: 'NVIDIA GeForce RTX 4090', asleep: true, stale: true });
    expect(second[1]).toMatchObject({ vramTotalBytes: 0, utilizationPercent: null, temperatureC: null });
    for (const gpu of second) GpuSampleSchema.parse(gpu);

    // It wakes (another program uses it): read again, figures fresh. Then it sleeps: its last figures stay.
    runtimeStatus(sysfs, '0000:02:00.0', 'active');
    const awake = (await sampler?.read()) ?? [];
    expect(awake[1]).toMatchObject({ vramTotalBytes: 25_757_220_864, vramUsedBytes: 536_870_912 });
    expect(awake[1]?.asleep).toBeUndefined();
    runtimeStatus(sysfs, '0000:02:00.0', 'suspending');
    const queriesAwake = queryCount(1);
    const asleep = (await sampler?.read()) ?? [];
    expect(queryCount(1)).toBe(queriesAwake);
    expect(asleep[1]).toMatchObject({ vramTotalBytes: 25_757_220_864, asleep: true, stale: true });
    sampler?.close();
  });

  it('answers the last figures instead of queueing behind a read still in flight', async () => {
    const sampler = await createNvmlSampler([library], { sysfsRoot: emptySysfs });
    const first = await sampler?.read();
    const inFlight = sampler?.read();
    const meanwhile = sampler?.read();
    expect(meanwhile).toEqual(first);
    await inFlight;
    sampler?.close();
  });
});
