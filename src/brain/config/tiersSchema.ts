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

function categoryList() {
  return listOf(categorySchema, 'model categories')
    .min(1, expecting('must name at least one category'))
    .refine((categories) => new Set(categories).size === categories.length, { error: 'must not repeat a category' });
}

/** What changes on battery; every field may be left out, meaning "as on mains". */
const batteryPreferenceFields = {
  preferred_models: categoryList().optional(),
  gpu_offload: z.boolean(expecting('must be true or false')).optional(),
};

const OnBatterySchema = z.strictObject(
  {
    ...batteryPreferenceFields,
    low_charge: z
      .strictObject(
        { below_percent: percent(), ...batteryPreferenceFields },
        expecting('must be a mapping with below_percent, and preferred_models or gpu_offload'),
      )
      .optional(),
  },
  expecting('must be a mapping with preferred_models, gpu_offload or low_charge'),
);

const RawTierSchema = z.strictObject(
  {
    ram_gb: range(gib(), 'in GiB'),
    cpu_cores: range(wholeNumber(1, 'cores'), 'cores'),
    gpu_required: z.boolean(expecting('must be true or false')),
    gpu_vram_gb: z.strictObject({ min: gib() }, expecting('must be a mapping with min in GiB')),
    preferred_models: categoryList(),
    scaling_thresholds: z.strictObject(
      { memory_percent: percent(), cpu_percent: percent() },
      expecting('must be a mapping with memory_percent and cpu_percent'),
    ),
    on_battery: OnBatterySchema.optional(),
  },
  expecting('must be a mapping of tier fields'),
);

type RawTier = z.output<typeof RawTierSchema>;
type RawOnBattery = z.output<typeof OnBatterySchema>;

/** The preferences on battery: null where the file sets nothing (as on mains). */
function toBatterySpec(raw: RawOnBattery | undefined) {
  const low = raw?.low_charge;
  return {
    preferredCategories: raw?.preferred_models ?? null,
    gpuOffload: raw?.gpu_offload ?? true,
    lowCharge: low
      ? {
          belowPercent: low.below_percent,
          preferredCategories: low.preferred_models ?? null,
          gpuOffload: low.gpu_offload ?? null,
        }
      : null,
  };
}

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
    /** What changes on battery, and below a charge; see powerPreference.ts for how it applies. */
    onBattery: toBatterySpec(tier.on_battery),
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
export type OnBatterySpec = TierSpec['onBattery'];
