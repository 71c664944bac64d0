import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GpuSampleSchema } from '../../../shared/contract';
import { findAmdCards } from './AmdSysfsSampler';
import { chooseGpuSampler, createGpuSampler, type ChosenGpuSampler } from './createGpuSampler';
import { findOnPath } from './findOnPath';

/** Whether this machine has any GPU a sampler could see; CI and the dev machine have none. */
const machineHasGpu =
  existsSync('/proc/driver/nvidia') || findOnPath('nvidia-smi') !== undefined || findAmdCards().length > 0;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mai-gpu-choice-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function keep(choice: ChosenGpuSampler): ChosenGpuSampler {
  cleanups.push(() => choice.sampler.close());
  return choice;
}

describe('createGpuSampler on this machine', () => {
  it('never throws; reads contract-shaped samples, [] where there is no GPU', async () => {
    const sampler = createGpuSampler();
    cleanups.push(() => sampler.close());
    const gpus = await sampler.read();
    for (const gpu of gpus) GpuSampleSchema.parse(gpu);
    if (!machineHasGpu) {
      expect(gpus).toEqual([]);
      expect(await sampler.source()).toBe('none');
    }
  });

  it('can be closed before its source is chosen, and reads [] afterwards', async () => {
    const sampler = createGpuSampler();
    sampler.close();
    expect(await sampler.read()).toEqual([]);
    await sampler.source();
  });
});

describe('chooseGpuSampler order', () => {
  it.runIf(process.platform !== 'win32')('takes nvidia-smi when NVML is absent and nvidia-smi is there', async () => {
    const nvidiaSmi = path.join(tempDir(), 'nvidia-smi');
    writeFileSync(
      nvidiaSmi,
      '#!/bin/sh\nwhile :; do echo "0, Stand-in GPU, 1024, 256, 768, 10, 40"; sleep 0.05; done\n',
      {
        mode: 0o755,
      },
    );
    const choice = keep(await chooseGpuSampler({ nvmlLibraryPaths: [], nvidiaSmiPath: nvidiaSmi, sysfsRoot: null }));
    expect(choice.source).toBe('nvidia-smi');
    await vi.waitFor(async () =>
      expect((await choice.sampler.read())[0]).toMatchObject({
        name: 'Stand-in GPU',
        vramUsedBytes: 256 * 1024 * 1024,
      }),
    );
  });

  it('takes AMD sysfs when there is no NVIDIA tool and an AMD card exists', async () => {
    const root = tempDir();
    const device = path.join(root, 'class', 'drm', 'card0', 'device');
    mkdirSync(device, { recursive: true });
    writeFileSync(path.join(device, 'vendor'), '0x1002\n');
    writeFileSync(path.join(device, 'mem_info_vram_total'), '8589934592\n');
    writeFileSync(path.join(device, 'mem_info_vram_used'), '1073741824\n');
    const choice = keep(await chooseGpuSampler({ nvmlLibraryPaths: [], nvidiaSmiPath: null, sysfsRoot: root }));
    expect(choice.source).toBe('amd-sysfs');
    expect((await choice.sampler.read())[0]).toMatchObject({ vendor: 'amd', vramUsedBytes: 1073741824 });
  });

  it('falls back to no GPU, [] and no error, when nothing is found', async () => {
    const choice = keep(await chooseGpuSampler({ nvmlLibraryPaths: [], nvidiaSmiPath: null, sysfsRoot: tempDir() }));
    expect(choice.source).toBe('none');
    expect(await choice.sampler.read()).toEqual([]);
  });

  it('finds the GPUs afresh on reprobe (after a sleep: an eGPU plugged in meanwhile shows up)', async () => {
    const root = tempDir();
    const amdCard = (name: string) => {
      const device = path.join(root, 'class', 'drm', name, 'device');
      mkdirSync(device, { recursive: true });
      writeFileSync(path.join(device, 'vendor'), '0x1002\n');
      writeFileSync(path.join(device, 'mem_info_vram_total'), '8589934592\n');
    };
    amdCard('card0');
    const sampler = createGpuSampler({ nvmlLibraryPaths: [], nvidiaSmiPath: null, sysfsRoot: root });
    cleanups.push(() => sampler.close());
    expect(await sampler.read()).toHaveLength(1);
    amdCard('card1');
    expect(await sampler.read()).toHaveLength(1);
    sampler.reprobe();
    expect(await sampler.read()).toHaveLength(2);
    expect(await sampler.source()).toBe('amd-sysfs');
  });
});
