/**
 * The tier's preferences as the power source bends them (resource_tiers.yaml `on_battery`): on battery, another
 * order of model categories and maybe no GPU offload; below `low_charge.below_percent`, that rule on top. Pure. The
 * tier's name carries what changed ("mid_range (on battery, 20 %: lighter model, no GPU offload)"), so every reason
 * selection writes about the tier names it too.
 */
import type { PowerState } from '../../shared/contract';
import { modelCategories, tierNames, type ModelCategory, type OnBatterySpec, type TiersConfig } from '../config';
import type { TierDetector } from '../tiers';

export interface PowerAwareTier {
  name: string;
  preferredCategories: readonly ModelCategory[];
  /** false: load models on the CPU only (the GPU may stay asleep). */
  gpuOffload: boolean;
  /** What the power source changed, for a person; null on mains or where nothing changed. */
  powerNote: string | null;
}

export interface TierOnMains {
  name: string;
  preferredCategories: readonly ModelCategory[];
  onBattery: OnBatterySpec;
}

function rank(category: ModelCategory): number {
  return modelCategories.indexOf(category);
}

function orderText(before: readonly ModelCategory[], after: readonly ModelCategory[]): string {
  const [was, now] = [before[0], after[0]];
  if (was !== undefined && now !== undefined && rank(now) < rank(was)) return 'lighter model';
  return `prefers ${after.join(', ')}`;
}

export function tierOnPower(tier: TierOnMains, power: PowerState | undefined): PowerAwareTier {
  const mains: PowerAwareTier = {
    name: tier.name,
    preferredCategories: tier.preferredCategories,
    gpuOffload: true,
    powerNote: null,
  };
  if (power?.source !== 'battery') return mains;
  const { onBattery } = tier;
  const charge = power.batteryPercent;
  // An unknown charge is not a low one: without a figure only the on-battery rule applies.
  const low = onBattery.lowCharge !== null && charge !== null && charge < onBattery.lowCharge.belowPercent;
  const lowRule = low ? onBattery.lowCharge : null;
  const preferredCategories = lowRule?.preferredCategories ?? onBattery.preferredCategories ?? tier.preferredCategories;
  const gpuOffload = lowRule?.gpuOffload ?? onBattery.gpuOffload;
  const changes: string[] = [];
  if (preferredCategories.join() !== tier.preferredCategories.join()) {
    changes.push(orderText(tier.preferredCategories, preferredCategories));
  }
  if (!gpuOffload) changes.push('no GPU offload');
  if (changes.length === 0) return mains;
  const chargeText = charge === null ? 'charge unknown' : `${Math.round(charge)} %`;
  const powerNote = `on battery, ${chargeText}: ${changes.join(', ')}`;
  return { name: `${tier.name} (${powerNote})`, preferredCategories, gpuOffload, powerNote };
}

/** The detected tier (the lowest until detection) under the sampled power state. */
export function powerAwareTier(
  detector: Pick<TierDetector, 'currentTier' | 'preferredCategories'>,
  tiers: TiersConfig,
  power: PowerState | undefined,
): PowerAwareTier {
  const name = detector.currentTier()?.name ?? tierNames[0];
  const { onBattery } = tiers[name];
  return tierOnPower({ name, preferredCategories: detector.preferredCategories(), onBattery }, power);
}
