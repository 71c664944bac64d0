/** How much a relief step must free, and whether undoing one would bring the pressure back. Pure. */
import type { ResourceSample } from '../../shared/contract';
import type { Bytes } from './relief';

/**
 * A step aims 3 points below the tier's memory threshold, and a step is undone only where memory stays 3 points
 * below it: the 1-3 points a GC cycle, a browser tab or a cache moves memory by must not push it straight back over
 * the line (another step) or make an undo the next step's cause.
 */
export const reliefMarginPoints = 3;

function usedBytes(sample: ResourceSample): number {
  return Math.max(0, sample.memory.totalBytes - sample.memory.availableBytes);
}

/** RAM to free for memory to sit `reliefMarginPoints` below the threshold; zero where it already does. */
export function memoryNeed(sample: ResourceSample, thresholdPercent: number): Bytes {
  const targetBytes = (sample.memory.totalBytes * (thresholdPercent - reliefMarginPoints)) / 100;
  return { ramBytes: Math.max(0, Math.round(usedBytes(sample) - targetBytes)), vramBytes: 0 };
}

/** Memory use, in per cent, once `addedRamBytes` more is in use. */
export function percentWith(sample: ResourceSample, addedRamBytes: number): number {
  const total = sample.memory.totalBytes;
  return total > 0 ? ((usedBytes(sample) + addedRamBytes) / total) * 100 : 100;
}

/** Whether giving back what a step saved keeps memory `reliefMarginPoints` below the threshold. */
export function undoFits(sample: ResourceSample, thresholdPercent: number, addedRamBytes: number): boolean {
  return percentWith(sample, addedRamBytes) <= thresholdPercent - reliefMarginPoints;
}
