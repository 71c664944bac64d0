import type { ModelListing, ResourceSample } from '../../shared/contract';
import type { ScalingThresholds } from '../config';
import { fitsNow } from './fit';

export interface PreloadVerdict {
  preloading: boolean;
  reason: string;
}

/**
 * Whether a model may be loaded beside the current one (pure). Refused when it would not fit now, or when it would
 * push memory use to the tier's threshold: preloading must not create the very pressure that forces a switch.
 */
export function preloadVerdict(
  key: string,
  entry: ModelListing | undefined,
  sample: ResourceSample,
  thresholds: ScalingThresholds,
): PreloadVerdict {
  if (!entry) return { preloading: false, reason: `no model "${key}"` };
  if (!entry.usable || !entry.estimate) return { preloading: false, reason: `${key} cannot be used: ${entry.reason}` };
  const { ramBytes, vramBytes, method } = entry.estimate;
  const breakdown = { weights: 0, kvCache: 0, compute: 0, overhead: 0 };
  const fit = fitsNow({ ramBytes, vramBytes, breakdown, method }, sample);
  if (!fit.fits) return { preloading: false, reason: `not preloading ${key}: it ${fit.reason}` };
  const { totalBytes, availableBytes } = sample.memory;
  const usedPercentAfter = ((totalBytes - availableBytes + ramBytes) / totalBytes) * 100;
  if (usedPercentAfter >= thresholds.memoryPercent) {
    return {
      preloading: false,
      reason: `not preloading ${key}: memory use would reach ${usedPercentAfter.toFixed(0)} %, at or above this tier's ${thresholds.memoryPercent} %`,
    };
  }
  return {
    preloading: true,
    reason: `preloading ${key} in the background (memory use would be ${usedPercentAfter.toFixed(0)} %)`,
  };
}
