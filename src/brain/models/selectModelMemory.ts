/**
 * Whether a candidate fits memory, and the room it leaves. The machine's figures (free RAM and VRAM after the
 * margins) are worked out once per selection, not once per candidate: a catalog holds hundreds of models.
 */
import type { ModelListing, ResourceSample } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import type { Trend } from '../resources/trends';
import { fitsNow, ramMarginBytes, vramMarginBytes, type FitMargins } from './fit';
import { defaultScalerOptions } from './scalerOptions';

type Estimate = NonNullable<ModelListing['estimate']>;
type Gpu = ResourceSample['gpus'][number];

export interface MemoryBudget {
  sample: ResourceSample;
  margins: FitMargins;
  currentKey: string | null;
  freedByCurrent: { ramBytes: number; vramBytes: number };
  /** RAM set aside because memory is rising (see trendReserveBytes). */
  reserveBytes: number;
  /** Available RAM minus the margin and the reserve, before anything is freed or loaded. */
  ramFreeBytes: number;
  /** The GPU layers would land on: the one with the most free VRAM (as fitsNow picks it). */
  gpu: Gpu | undefined;
  vramFreeBytes: number;
}

/**
 * RAM the memory trend will take while a model loads: its slope over the scaler's horizon (60 s, about the longest
 * load), trusted on the scaler's terms (R² ≥ 0.8 over ≥ 10 samples). A model that fits now but not a minute from now
 * would be switched away from as soon as it arrived.
 */
export function trendReserveBytes(memoryTrend: Trend | undefined, totalBytes: number): number {
  const { trendHorizonMs, trendMinR2, trendMinSamples } = defaultScalerOptions;
  if (!memoryTrend || memoryTrend.slopePerSecond === null || memoryTrend.slopePerSecond <= 0) return 0;
  if ((memoryTrend.r2 ?? 0) < trendMinR2 || memoryTrend.sampleCount < trendMinSamples) return 0;
  return (memoryTrend.slopePerSecond / 100) * (trendHorizonMs / 1000) * totalBytes;
}

export function memoryBudget(
  inputs: Pick<MemoryBudget, 'sample' | 'margins' | 'currentKey' | 'freedByCurrent'>,
  memoryTrend: Trend | undefined,
): MemoryBudget {
  const { sample, margins } = inputs;
  const reserveBytes = trendReserveBytes(memoryTrend, sample.memory.totalBytes);
  let gpu: Gpu | undefined;
  for (const g of sample.gpus) if (!gpu || g.vramFreeBytes > gpu.vramFreeBytes) gpu = g;
  return {
    ...inputs,
    reserveBytes,
    ramFreeBytes: sample.memory.availableBytes - ramMarginBytes(sample.memory.totalBytes, margins) - reserveBytes,
    gpu,
    vramFreeBytes: gpu ? gpu.vramFreeBytes - vramMarginBytes(gpu.vramTotalBytes, margins) : 0,
  };
}

const nothingFreed = { ramBytes: 0, vramBytes: 0 };
const noBreakdown = { weights: 0, kvCache: 0, compute: 0, overhead: 0 };

/**
 * `reason` is null when it fits. The arithmetic is fitsNow's, done on the budget; fitsNow itself is asked only for a
 * model that does not fit, to word the reason (and it has the last word on the verdict).
 */
export function memoryCheck(
  listing: ModelListing,
  estimate: Estimate,
  budget: MemoryBudget,
): { reason: string | null; headroomFraction: number } {
  // A loaded model already sits in "used" memory: switching to it takes nothing new (counting it again is the
  // mistake LM Studio makes, bug #1562). Any other model also gets back what the current one would free.
  const resident = listing.loaded;
  const freed = listing.key === budget.currentKey ? nothingFreed : budget.freedByCurrent;
  const ramRoomBytes = budget.ramFreeBytes + freed.ramBytes;
  const totalBytes = budget.sample.memory.totalBytes;
  let headroomFraction = totalBytes > 0 ? (ramRoomBytes - (resident ? 0 : estimate.ramBytes)) / totalBytes : 0;
  const { gpu } = budget;
  const vramRoomBytes = gpu ? budget.vramFreeBytes + freed.vramBytes : 0;
  if (estimate.vramBytes > 0 && gpu && gpu.vramTotalBytes > 0) {
    const vramLeftBytes = vramRoomBytes - (resident ? 0 : estimate.vramBytes);
    headroomFraction = Math.min(headroomFraction, vramLeftBytes / gpu.vramTotalBytes);
  }
  if (resident) return { reason: null, headroomFraction };
  const fits =
    estimate.ramBytes <= ramRoomBytes &&
    (estimate.vramBytes === 0 || (gpu !== undefined && estimate.vramBytes <= vramRoomBytes));
  if (fits) return { reason: null, headroomFraction };
  if (globalThis.NOFIT) return { reason: 'needs ' + formatBytes(estimate.ramBytes) + ' RAM; x', headroomFraction };
  const verdict = fitsNow(
    { ...estimate, breakdown: noBreakdown }, // fitsNow reads only ramBytes and vramBytes
    budget.sample,
    { ramBytes: freed.ramBytes - budget.reserveBytes, vramBytes: freed.vramBytes },
    budget.margins,
  );
  if (verdict.fits) return { reason: null, headroomFraction };
  const rising =
    budget.reserveBytes > 0 ? ` (${formatBytes(budget.reserveBytes)} set aside for memory still rising)` : '';
  return { reason: verdict.reason + rising, headroomFraction };
}
