/**
 * Whether a candidate fits memory, and the room it leaves. The machine's figures (free RAM and VRAM after the
 * margins) are worked out once per selection, not once per candidate: a catalog holds hundreds of models.
 */
import type { ModelListing, ResourceSample } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import type { Trend } from '../resources/trends';
import { ramMarginBytes, vramMarginBytes, type FitMargins } from './fit';
import { defaultScalerOptions } from './scalerOptions';

type Estimate = NonNullable<ModelListing['estimate']>;
type Gpu = ResourceSample['gpus'][number];

/** RAM and VRAM room after the margins (and the trend's reserve), with the words for a model that overruns them. */
interface Room {
  ramBytes: number;
  vramBytes: number;
  /** "; 5.6 GiB is free after keeping 2.4 GiB for the system": worded once per selection, not once per model. */
  ramText: string;
  vramText: string;
}

export interface MemoryBudget {
  sample: ResourceSample;
  currentKey: string | null;
  /** RAM set aside because memory is rising (see trendReserveBytes). */
  reserveBytes: number;
  /** The GPU layers would land on: the one with the most free VRAM (as fitsNow picks it). */
  gpu: Gpu | undefined;
  /** For the current model (nothing is freed for it) and for every other (the current one's memory comes back). */
  roomForCurrent: Room;
  roomForOthers: Room;
  /** " (1.2 GiB set aside for memory still rising)", or empty. */
  reserveText: string;
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

/** fitsNow's arithmetic and wording, for one "freed" figure. */
function roomAfter(
  sample: ResourceSample,
  gpu: Gpu | undefined,
  freed: { ramBytes: number; vramBytes: number },
  reserveBytes: number,
  margins: FitMargins,
): Room {
  const ramMargin = ramMarginBytes(sample.memory.totalBytes, margins);
  const ramBytes = sample.memory.availableBytes + freed.ramBytes - reserveBytes - ramMargin;
  const vramBytes = gpu ? gpu.vramFreeBytes + freed.vramBytes - vramMarginBytes(gpu.vramTotalBytes, margins) : 0;
  return {
    ramBytes,
    vramBytes,
    ramText: ` RAM; ${formatBytes(Math.max(0, ramBytes))} is free after keeping ${formatBytes(ramMargin)} for the system`,
    vramText: gpu
      ? ` VRAM; ${formatBytes(Math.max(0, vramBytes))} is free on ${gpu.name} after its margin`
      : ' VRAM and no GPU was found',
  };
}

export function memoryBudget(
  inputs: {
    sample: ResourceSample;
    margins: FitMargins;
    currentKey: string | null;
    freedByCurrent: { ramBytes: number; vramBytes: number };
  },
  memoryTrend: Trend | undefined,
): MemoryBudget {
  const { sample, margins } = inputs;
  const reserveBytes = trendReserveBytes(memoryTrend, sample.memory.totalBytes);
  let gpu: Gpu | undefined;
  for (const g of sample.gpus) if (!gpu || g.vramFreeBytes > gpu.vramFreeBytes) gpu = g;
  return {
    sample,
    currentKey: inputs.currentKey,
    reserveBytes,
    gpu,
    roomForCurrent: roomAfter(sample, gpu, { ramBytes: 0, vramBytes: 0 }, reserveBytes, margins),
    roomForOthers: roomAfter(sample, gpu, inputs.freedByCurrent, reserveBytes, margins),
    reserveText: reserveBytes > 0 ? ` (${formatBytes(reserveBytes)} set aside for memory still rising)` : '',
  };
}

/**
 * `reason` is null when it fits. The verdict and words are fitsNow's (fit.ts), worked on the budget: fitsNow words a
 * reason on every call, and a catalog of 200 models made that most of a decision's time and garbage (p99 1.8 ms
 * against 0.7 ms). selectModelMemory.test.ts holds the two to the same verdicts and words.
 */
export function memoryCheck(
  listing: ModelListing,
  estimate: Estimate,
  budget: MemoryBudget,
): { reason: string | null; headroomFraction: number } {
  // A host's memory is not this machine's: the catalog judged it against the host's (hostFit), and its room there
  // is not weighed against this machine's headroom.
  if (listing.host) return { reason: listing.fits ? null : listing.reason, headroomFraction: 0 };
  // A loaded model already sits in "used" memory: switching to it takes nothing new (counting it again is the
  // mistake LM Studio makes, bug #1562). Any other model also gets back what the current one would free.
  const resident = listing.loaded;
  const room = listing.key === budget.currentKey ? budget.roomForCurrent : budget.roomForOthers;
  const totalBytes = budget.sample.memory.totalBytes;
  let headroomFraction = totalBytes > 0 ? (room.ramBytes - (resident ? 0 : estimate.ramBytes)) / totalBytes : 0;
  const { gpu } = budget;
  if (estimate.vramBytes > 0 && gpu && gpu.vramTotalBytes > 0) {
    const vramLeftBytes = room.vramBytes - (resident ? 0 : estimate.vramBytes);
    headroomFraction = Math.min(headroomFraction, vramLeftBytes / gpu.vramTotalBytes);
  }
  if (resident) return { reason: null, headroomFraction };
  if (estimate.ramBytes > room.ramBytes) {
    return { reason: `needs ${formatBytes(estimate.ramBytes)}${room.ramText}${budget.reserveText}`, headroomFraction };
  }
  if (estimate.vramBytes > 0 && (!gpu || estimate.vramBytes > room.vramBytes)) {
    return {
      reason: `needs ${formatBytes(estimate.vramBytes)}${room.vramText}${budget.reserveText}`,
      headroomFraction,
    };
  }
  return { reason: null, headroomFraction };
}
