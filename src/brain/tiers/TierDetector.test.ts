import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTiersYaml, shippedConfigDir } from '../config';
import type { HardwareInventory } from './inventory';
import { TierDetector } from './TierDetector';

const GiB = 1024 ** 3;
const tiers = parseTiersYaml(
  readFileSync(path.join(shippedConfigDir({}), 'resource_tiers.yaml'), 'utf8'),
  'resource_tiers.yaml',
);

const midRange: HardwareInventory = { totalMemoryBytes: 6 * GiB, cpuCores: 4, gpus: [] };
const highEnd: HardwareInventory = {
  totalMemoryBytes: 32 * GiB,
  cpuCores: 12,
  gpus: [{ name: 'RTX 4080', vramTotalBytes: 16 * GiB }],
};

describe('TierDetector', () => {
  it("answers with low_end's policy before the first detection", () => {
    const detector = new TierDetector(tiers, () => highEnd);
    expect(detector.currentTier()).toBeNull();
    expect(detector.preferredCategories()).toEqual(['small']);
    expect(detector.scalingThresholds()).toEqual(tiers.low_end.scalingThresholds);
  });

  it('classifies the inventory its reader returns, async readers included', async () => {
    const detector = new TierDetector(tiers, () => Promise.resolve(highEnd));
    const tier = await detector.detectCurrentTier();
    expect(tier.name).toBe('high_end');
    expect(detector.currentTier()).toEqual(tier);
    expect(detector.preferredCategories()).toEqual(['large', 'medium', 'small']);
    expect(detector.scalingThresholds()).toEqual(tiers.high_end.scalingThresholds);
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
});
