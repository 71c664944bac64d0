import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTiersYaml, shippedConfigDir, type ModelCategory } from '../config';
import type { HardwareInventory } from './inventory';
import { TierDetector } from './TierDetector';

const GiB = 1024 ** 3;
const tiers = parseTiersYaml(
  readFileSync(path.join(shippedConfigDir({}), 'resource_tiers.yaml'), 'utf8'),
  'resource_tiers.yaml',
);

const lowEnd: HardwareInventory = { totalMemoryBytes: 3 * GiB, cpuCores: 2, gpus: [] };
const midRange: HardwareInventory = { totalMemoryBytes: 6 * GiB, cpuCores: 4, gpus: [] };
const highEnd: HardwareInventory = {
  totalMemoryBytes: 32 * GiB,
  cpuCores: 12,
  gpus: [{ name: 'RTX 4080', vramTotalBytes: 16 * GiB }],
};

async function detectedOn(inventory: HardwareInventory): Promise<TierDetector> {
  const detector = new TierDetector(tiers, () => inventory);
  await detector.detectCurrentTier();
  return detector;
}

describe('TierDetector', () => {
  it("answers with low_end's policy before the first detection", () => {
    const detector = new TierDetector(tiers, () => highEnd);
    expect(detector.currentTier()).toBeNull();
    expect(detector.preferredCategories()).toEqual(['small']);
    expect(detector.scalingThresholds()).toEqual(tiers.low_end.scalingThresholds);
    expect(detector.isGpuRequired()).toBe(false);
  });

  it('classifies the inventory its reader returns, async readers included', async () => {
    const detector = new TierDetector(tiers, () => Promise.resolve(highEnd));
    const tier = await detector.detectCurrentTier();
    expect(tier.name).toBe('high_end');
    expect(detector.currentTier()).toEqual(tier);
    expect(detector.preferredCategories()).toEqual(['large', 'medium', 'small']);
    expect(detector.scalingThresholds()).toEqual(tiers.high_end.scalingThresholds);
    expect(detector.isGpuRequired()).toBe(true);
  });

  it('keeps its last answer when a later read fails', async () => {
    let reads = 0;
    const detector = new TierDetector(tiers, () => {
      reads += 1;
      if (reads > 1) throw new Error('systeminformation failed');
      return midRange;
    });
    await detector.detectCurrentTier();
    await expect(detector.detectCurrentTier()).rejects.toThrow('systeminformation failed');
    expect(detector.currentTier()?.name).toBe('mid_range');
  });

  it.each<[string, HardwareInventory, ModelCategory, boolean]>([
    ['low_end', lowEnd, 'small', false],
    ['mid_range', midRange, 'small', true],
    ['mid_range', midRange, 'medium', false],
    ['mid_range', midRange, 'large', false],
    ['high_end', highEnd, 'small', true],
    ['high_end', highEnd, 'medium', true],
    ['high_end', highEnd, 'large', false],
  ])('on %s, with a %s model loaded, may upgrade: %s', async (_tier, inventory, category, expected) => {
    expect((await detectedOn(inventory)).canUpgradeModel(category)).toBe(expected);
  });
});
