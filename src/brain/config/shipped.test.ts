import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parseDocument, type Pair } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseModelsYaml } from './modelsConfig';
import { categoryRank, modelCategories } from './modelsSchema';
import { shippedConfigDir } from './paths';
import { parseTiersYaml } from './tiersConfig';
import { tierNames } from './tiersSchema';
import { bytesPerGib } from './units';

const dir = shippedConfigDir({});
const modelsText = readFileSync(path.join(dir, 'models.yaml'), 'utf8');
const tiersText = readFileSync(path.join(dir, 'resource_tiers.yaml'), 'utf8');

describe('shipped models.yaml', () => {
  const { models, fallbackChains } = parseModelsYaml(modelsText, 'models.yaml');

  it('parses and offers every category', () => {
    for (const category of modelCategories) expect(models.some((model) => model.category === category)).toBe(true);
    expect(Object.keys(fallbackChains).length).toBeGreaterThan(0);
  });

  it('has a vision model in each size class Mai may run', () => {
    const vision = models.filter((model) => model.capabilities.includes('vision'));
    expect(new Set(vision.map((model) => model.category))).toEqual(new Set(modelCategories));
  });

  it('offers downloads in every category, pinned to a Hugging Face revision, sized like the need it states', () => {
    const downloadable = models.filter((model) => model.download);
    expect(new Set(downloadable.map((model) => model.category))).toEqual(new Set(modelCategories));
    for (const model of downloadable) {
      const download = model.download!;
      expect(download.uri, model.key).toMatch(/^hf:[^/]+\/[^/]+\/[^#]+\.gguf(#[0-9a-f]{40})?$/);
      // The weights are most of the stated RAM need (KV cache and compute buffers are the rest).
      expect(download.sizeBytes, model.key).toBeLessThan(model.minMemoryBytes);
      expect(download.sizeBytes, model.key).toBeGreaterThan(0.5 * model.minMemoryBytes);
      // A vision model needs its projector too, a second file one pull does not fetch.
      expect(model.capabilities, model.key).not.toContain('vision');
    }
    expect(new Set(downloadable.map((model) => model.download!.sha256)).size).toBe(downloadable.length);
  });

  it('only falls back to models no larger than the one that failed', () => {
    const byKey = new Map(models.map((model) => [model.key, model]));
    for (const model of models) {
      for (const key of model.fallback) {
        const target = byKey.get(key);
        expect(target && categoryRank(target.category) <= categoryRank(model.category), `${model.key} → ${key}`).toBe(
          true,
        );
        expect(target && target.minMemoryBytes <= model.minMemoryBytes, `${model.key} → ${key}`).toBe(true);
      }
    }
  });
});

describe('shipped resource_tiers.yaml', () => {
  const tiers = parseTiersYaml(tiersText, 'resource_tiers.yaml');
  const { models } = parseModelsYaml(modelsText, 'models.yaml');

  it("encodes the plan's three machines", () => {
    expect(tiers.low_end).toMatchObject({ ramBytes: { min: 2 * bytesPerGib, max: 4 * bytesPerGib } });
    expect(tiers.low_end).toMatchObject({ cpuCores: { min: 2, max: 4 }, gpuRequired: false });
    expect(tiers.mid_range).toMatchObject({ ramBytes: { min: 4 * bytesPerGib, max: 8 * bytesPerGib } });
    expect(tiers.mid_range).toMatchObject({ cpuCores: { min: 4, max: 8 }, gpuRequired: false });
    expect(tiers.high_end).toMatchObject({
      ramBytes: { min: 8 * bytesPerGib },
      cpuCores: { min: 6 },
      gpuRequired: true,
    });
    expect(tiers.high_end.gpuVramBytes.min).toBe(6 * bytesPerGib);
  });

  it.each(tierNames)('%s can run a model of a category it prefers at its minimum', (name) => {
    const tier = tiers[name];
    const memoryBytes = tier.gpuRequired ? tier.gpuVramBytes.min : tier.ramBytes.min;
    const fits = models.filter(
      (model) =>
        tier.preferredCategories.includes(model.category) &&
        (tier.gpuRequired ? model.minVramBytes : model.minMemoryBytes) <= memoryBytes,
    );
    expect(fits.length).toBeGreaterThan(0);
  });

  it('scales at about 80 % everywhere', () => {
    for (const name of tierNames) {
      const { memoryPercent, cpuPercent } = tiers[name].scalingThresholds;
      expect(memoryPercent).toBeGreaterThanOrEqual(70);
      expect(memoryPercent).toBeLessThanOrEqual(90);
      expect(cpuPercent).toBeGreaterThanOrEqual(70);
      expect(cpuPercent).toBeLessThanOrEqual(90);
    }
  });

  /** A comment before the key, or (for a mapping's first key, where yaml keeps it) before the mapping. */
  function commentOn(fieldPath: string[]): string | undefined {
    const doc = parseDocument(tiersText);
    const parent = doc.getIn(fieldPath.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const items = parent.items as Pair[];
    const index = items.findIndex((pair) => isScalar(pair.key) && pair.key.value === fieldPath.at(-1));
    const pair = items[index];
    if (!pair || !isScalar(pair.key)) return undefined;
    return pair.key.commentBefore ?? (index === 0 ? parent.commentBefore : undefined) ?? undefined;
  }

  const thresholdPaths = tierNames.flatMap((name) =>
    [
      ['ram_gb', 'min'],
      ['cpu_cores', 'min'],
      ['gpu_required'],
      ['gpu_vram_gb', 'min'],
      ['scaling_thresholds', 'memory_percent'],
      ['scaling_thresholds', 'cpu_percent'],
      ['on_battery', 'low_charge', 'below_percent'],
    ].map((field) => ['tiers', name, ...field]),
  );

  it.each(thresholdPaths.map((fieldPath) => [fieldPath.join('.'), fieldPath] as const))(
    'says why %s has its value',
    (_name, fieldPath) => {
      expect(commentOn(fieldPath)?.trim().length ?? 0).toBeGreaterThan(20);
    },
  );
});
