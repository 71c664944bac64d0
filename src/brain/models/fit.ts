import type { MemoryEstimate } from '../backends/estimate';
import type { ResourceSample } from '../../shared/contract';
import { formatBytes } from '../../shared/format';

const gib = 1024 ** 3;

/**
 * Headroom kept free when deciding whether a model fits: the OS, the desktop and a browser need room too, and an
 * estimate can be off. RAM: max(2 GiB, 15 %): 2 GiB keeps a desktop responsive on small machines, 15 % scales it
 * on large ones. VRAM: max(1 GiB, 8 %): the compositor and other apps' buffers, plus node-llama-cpp's own 8 % padding.
 */
export interface FitMargins {
  ramMinBytes: number;
  ramFraction: number;
  vramMinBytes: number;
  vramFraction: number;
}

export const defaultFitMargins: FitMargins = {
  ramMinBytes: 2 * gib,
  ramFraction: 0.15,
  vramMinBytes: 1 * gib,
  vramFraction: 0.08,
};

export function ramMarginBytes(totalBytes: number, margins: FitMargins = defaultFitMargins): number {
  return Math.max(margins.ramMinBytes, margins.ramFraction * totalBytes);
}

export function vramMarginBytes(totalBytes: number, margins: FitMargins = defaultFitMargins): number {
  return Math.max(margins.vramMinBytes, margins.vramFraction * totalBytes);
}

export interface FitVerdict {
  fits: boolean;
  /** For a person: what it needs and what is free, in GiB. */
  reason: string;
}

/**
 * Whether a model's estimate fits the machine as sampled now, keeping the margins free. `freedBytes` is what
 * unloading the models Mai holds would give back (they are part of "used" now but not after a switch).
 */
export function fitsNow(
  estimate: MemoryEstimate,
  sample: ResourceSample,
  freed: { ramBytes: number; vramBytes: number } = { ramBytes: 0, vramBytes: 0 },
  margins: FitMargins = defaultFitMargins,
): FitVerdict {
  const ramFreeBytes =
    sample.memory.availableBytes + freed.ramBytes - ramMarginBytes(sample.memory.totalBytes, margins);
  if (estimate.ramBytes > ramFreeBytes) {
    return {
      fits: false,
      reason: `needs ${formatBytes(estimate.ramBytes)} RAM; ${formatBytes(Math.max(0, ramFreeBytes))} is free after keeping ${formatBytes(ramMarginBytes(sample.memory.totalBytes, margins))} for the system`,
    };
  }
  if (estimate.vramBytes > 0) {
    // Layers go to one GPU here; the largest free one is where they would land.
    const best = [...sample.gpus].sort((a, b) => b.vramFreeBytes - a.vramFreeBytes)[0];
    const vramFreeBytes = best
      ? best.vramFreeBytes + freed.vramBytes - vramMarginBytes(best.vramTotalBytes, margins)
      : 0;
    if (estimate.vramBytes > vramFreeBytes) {
      return {
        fits: false,
        reason: best
          ? `needs ${formatBytes(estimate.vramBytes)} VRAM; ${formatBytes(Math.max(0, vramFreeBytes))} is free on ${best.name} after its margin`
          : `needs ${formatBytes(estimate.vramBytes)} VRAM and no GPU was found`,
      };
    }
  }
  const vram = estimate.vramBytes > 0 ? ` + ${formatBytes(estimate.vramBytes)} VRAM` : '';
  return {
    fits: true,
    reason: `needs ${formatBytes(estimate.ramBytes)} RAM${vram}; ${formatBytes(ramFreeBytes)} RAM free`,
  };
}
