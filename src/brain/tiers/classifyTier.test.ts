import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TierSchema } from '../../shared/contract';
import { parseTiersYaml, shippedConfigDir, type TiersConfig } from '../config';
import { classifyTier } from './classifyTier';
import type { HardwareInventory, HardwareGpu } from './inventory';

const GiB = 1024 ** 3;
const tiers = parseTiersYaml(
  readFileSync(path.join(shippedConfigDir({}), 'resource_tiers.yaml'), 'utf8'),
  'resource_tiers.yaml',
);

function machine(ramGib: number, cpuCores: number, ...gpus: [string, number | null][]): HardwareInventory {
  return {
    totalMemoryBytes: ramGib * GiB,
    cpuCores,
    gpus: gpus.map(([name, vramGib]): HardwareGpu => ({
      name,
      vramTotalBytes: vramGib === null ? null : vramGib * GiB,
    })),
  };
}

function mac(ramGib: number, cpuCores: number): HardwareInventory {
  return {
    totalMemoryBytes: ramGib * GiB,
    cpuCores,
    gpus: [{ name: 'Apple M2', vramTotalBytes: null, unifiedMemory: true }],
  };
}

describe('classifyTier with the shipped tiers', () => {
  it.each([
    // The plan's three machines.
    ['2 GiB, 2 cores, no GPU', machine(2, 2), 'low_end'],
    ['3 GiB, 4 cores, no GPU', machine(3, 4), 'low_end'],
    ['6 GiB, 6 cores, no GPU', machine(6, 6), 'mid_range'],
    ['6 GiB, 4 cores, a 4 GiB GPU (optional)', machine(6, 4, ['GTX 1650', 4]), 'mid_range'],
    ['16 GiB, 8 cores, a 12 GiB GPU', machine(16, 8, ['RTX 3060', 12]), 'high_end'],
    // Edges.
    ['exactly 4 GiB and 4 cores', machine(4, 4), 'mid_range'],
    ['exactly 4 GiB but 3 cores', machine(4, 3), 'low_end'],
    ['exactly 8 GiB, 6 cores, exactly 6 GiB VRAM', machine(8, 6, ['RTX 2060', 6]), 'high_end'],
    ['8 GiB, 6 cores, 5.9 GiB VRAM', machine(8, 6, ['GTX 1660', 5.9]), 'mid_range'],
    ['8 GiB, 5 cores, 8 GiB VRAM', machine(8, 5, ['RTX 3070', 8]), 'mid_range'],
    ['7 GiB, 8 cores, 8 GiB VRAM: RAM short of high_end', machine(7, 8, ['RTX 3070', 8]), 'mid_range'],
    // Above a tier's max never disqualifies from it.
    ['32 GiB, 16 cores, no GPU', machine(32, 16), 'mid_range'],
    ['64 GiB, 3 cores, no GPU', machine(64, 3), 'low_end'],
    // The OS reports less than is installed.
    ['7.6 GiB reported of 8 installed, 8 cores, 8 GiB VRAM', machine(7.6, 8, ['RTX 3070', 8]), 'high_end'],
    ['3.7 GiB reported of a 4 GiB board, 4 cores', machine(3.7, 4), 'mid_range'],
    ['7.3 GiB: beyond the 8 % allowance', machine(7.3, 8, ['RTX 3070', 8]), 'mid_range'],
    // GPUs: the largest card counts, cards do not pool.
    ['an iGPU beside a 12 GiB card', machine(16, 8, ['Intel UHD', 0.5], ['RTX 3060', 12]), 'high_end'],
    ['two 4 GiB cards', machine(16, 8, ['GTX 1650', 4], ['GTX 1650', 4]), 'mid_range'],
    ['a GPU reporting 0 VRAM', machine(16, 8, ['Unknown', 0]), 'mid_range'],
    ['a GPU without a VRAM figure', machine(16, 8, ['Unknown', null]), 'mid_range'],
    ['a GPU without a figure beside a 8 GiB card', machine(16, 8, ['Unknown', null], ['RTX 3070', 8]), 'high_end'],
    // Apple silicon: the GPU uses 2/3 of RAM.
    ['a 16 GiB Mac, 8 cores', mac(16, 8), 'high_end'],
    ['an 8 GiB Mac, 8 cores: 5.33 GiB for the GPU', mac(8, 8), 'mid_range'],
    // Below every minimum: low_end is the floor.
    ['1 GiB, 1 core', machine(1, 1), 'low_end'],
  ])('%s → %s', (_what, inventory, expected) => {
    expect(classifyTier(inventory, tiers).name).toBe(expected);
  });

  it('explains a high_end machine by what it meets', () => {
    expect(classifyTier(machine(24, 8, ['RTX 4090', 24]), tiers).reasons).toEqual([
      'RAM 24 GiB ≥ 8 GiB',
      '8 cores ≥ 6',
      'GPU RTX 4090 with 24 GiB VRAM ≥ 6 GiB',
    ]);
  });

  it('explains why a higher tier was missed, then why the chosen one fits', () => {
    expect(classifyTier(machine(32, 8), tiers).reasons).toEqual([
      'no GPU, high_end requires one with ≥ 6 GiB VRAM',
      'RAM 32 GiB ≥ 4 GiB',
      '8 cores ≥ 4',
    ]);
    expect(classifyTier(machine(8, 6, ['GTX 1660', 5.9]), tiers).reasons[0]).toBe(
      'GPU GTX 1660 with 5.9 GiB VRAM, high_end requires ≥ 6 GiB',
    );
  });

  it('says what it knows of a GPU without a VRAM figure or with unified memory', () => {
    expect(classifyTier(machine(16, 8, ['Unknown', null]), tiers).reasons[0]).toBe(
      'GPU Unknown with unknown VRAM, high_end requires ≥ 6 GiB',
    );
    expect(classifyTier(mac(16, 8), tiers).reasons.at(-1)).toBe(
      'GPU Apple M2 sharing 16 GiB RAM, 10.66 GiB usable as VRAM ≥ 6 GiB',
    );
  });

  it('names the RAM allowance when it decides', () => {
    expect(classifyTier(machine(7.6, 8, ['RTX 3070', 8]), tiers).reasons[0]).toBe(
      'RAM 7.6 GiB counts as 8 GiB installed (the OS reports up to 8 % less)',
    );
  });

  it('says when a machine is below every tier', () => {
    const { reasons } = classifyTier(machine(1, 1), tiers);
    expect(reasons).toContain('RAM 1 GiB, low_end requires ≥ 2 GiB');
    expect(reasons).toContain('1 core, low_end requires ≥ 2');
    expect(reasons.at(-1)).toBe("below every tier's minimums; low_end is the floor");
  });

  it('returns what the contract carries as status.tier', () => {
    const tier = classifyTier(machine(16, 8, ['RTX 3060', 12]), tiers);
    expect(TierSchema.parse(tier)).toEqual(tier);
  });
});

describe('classifyTier follows the configuration', () => {
  const strict: TiersConfig = {
    ...tiers,
    mid_range: { ...tiers.mid_range, gpuRequired: true, gpuVramBytes: { min: 2 * GiB } },
  };

  it.each([
    ['a mid_range that requires a GPU: none', machine(6, 6), 'low_end'],
    ['a mid_range that requires a GPU: 2 GiB', machine(6, 6, ['MX450', 2]), 'mid_range'],
  ])('%s → %s', (_what, inventory, expected) => {
    expect(classifyTier(inventory, strict).name).toBe(expected);
  });
});
