import { z } from 'zod';
import { categorySchema } from './modelsSchema';
import { expecting, gib, listOf, percent, wholeNumber } from './schemaParts';
import { gibToBytes } from './units';

/** Lowest first: classification tries them from the top down. */
export const tierNames = ['low_end', 'mid_range', 'high_end'] as const;
export type TierName = (typeof tierNames)[number];

const minNotAboveMax = { error: 'min must be ≤ max' };

/** `max: null` (or no max) means no upper bound. */
function range(bound: z.ZodNumber, what: string) {
  return z
    .strictObject(
      { min: bound, max: bound.nullable().default(null) },
      expecting(`must be a mapping with min and max ${what}`),
    )
    .refine((value) => value.max === null || value.min <= value.max, minNotAboveMax);
}

const RawTierSchema = z.strictObject(
  {
    ram_gb: range(gib(), 'in GiB'),
    cpu_cores: range(wholeNumber(1, 'cores'), 'cores'),
    gpu_required: z.boolean(expecting('must be true or false')),
    gpu_vram_gb: z.strictObject({ min: gib() }, expecting('must be a mapping with min in GiB')),
    preferred_models: listOf(categorySchema, 'model categories')
      .min(1, expecting('must name at least one category'))
      .refine((categories) => new Set(categories).size === categories.length, { error: 'must not repeat a category' }),
    scaling_thresholds: z.strictObject(
      { memory_percent: percent(), cpu_percent: percent() },
      expecting('must be a mapping with memory_percent and cpu_percent'),
    ),
  },
  expecting('must be a mapping of tier fields'),
);

type RawTier = z.output<typeof RawTierSchema>;

function toTierSpec(tier: RawTier) {
  return {
    ramBytes: { min: gibToBytes(tier.ram_gb.min), max: tier.ram_gb.max === null ? null : gibToBytes(tier.ram_gb.max) },
    cpuCores: { min: tier.cpu_cores.min, max: tier.cpu_cores.max },
    /** When true, the machine needs one GPU with at least `gpuVramBytes.min`; when false the GPU is not checked. */
    gpuRequired: tier.gpu_required,
    gpuVramBytes: { min: gibToBytes(tier.gpu_vram_gb.min) },
    /** Model categories, most preferred first. */
    preferredCategories: tier.preferred_models,
    scalingThresholds: {
      memoryPercent: tier.scaling_thresholds.memory_percent,
      cpuPercent: tier.scaling_thresholds.cpu_percent,
    },
  };
}

/** resource_tiers.yaml, validated and turned into one camelCase, bytes-based spec per tier name. */
export const TiersConfigSchema = z
  .strictObject(
    {
      tiers: z.strictObject(
        { low_end: RawTierSchema, mid_range: RawTierSchema, high_end: RawTierSchema },
        expecting(`must be a mapping with ${tierNames.join(', ')}`),
      ),
    },
    expecting('must be a mapping with tiers:'),
  )
  .transform(({ tiers }) => ({
    low_end: toTierSpec(tiers.low_end),
    mid_range: toTierSpec(tiers.mid_range),
    high_end: toTierSpec(tiers.high_end),
  }));

export type TiersConfig = z.output<typeof TiersConfigSchema>;
export type TierSpec = TiersConfig[TierName];
export type ScalingThresholds = TierSpec['scalingThresholds'];
