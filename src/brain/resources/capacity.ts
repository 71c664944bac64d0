/** Quick yes/no questions on one sample, the seed's can_load_model / is_system_overloaded. Pure. */
import type { ResourceSample } from '../../shared/contract';

/**
 * Kept free beyond a model's own size: MemAvailable is the kernel's estimate (part of the page cache it counts
 * cannot be dropped quickly), a load needs transient buffers on top of the weights, and the desktop must stay
 * responsive. 1 GiB covers those on an 8 GiB machine without ruling out small models there.
 */
export const defaultLoadMarginBytes = 1024 ** 3;

/** Whether a model of modelBytes fits in RAM now: available minus the margin must cover it. No sample: no. */
export function canLoadModel(
  sample: ResourceSample | undefined,
  modelBytes: number,
  marginBytes = defaultLoadMarginBytes,
): boolean {
  if (!sample) return false;
  return sample.memory.availableBytes - marginBytes >= modelBytes;
}

export interface OverloadThresholds {
  memoryPercent: number;
  cpuPercent: number;
}

/**
 * The seed's defaults: past 80 % memory the kernel starts reclaiming cache and swapping soon follows; past
 * 80 % CPU generation slows visibly. Tiers in resource_tiers.yaml override both.
 */
export const defaultOverloadThresholds: OverloadThresholds = { memoryPercent: 80, cpuPercent: 80 };

/** Whether memory or CPU is at or above its threshold in this sample. No sample: not known to be overloaded. */
export function isSystemOverloaded(
  sample: ResourceSample | undefined,
  thresholds: OverloadThresholds = defaultOverloadThresholds,
): boolean {
  if (!sample) return false;
  return sample.memory.usedPercent >= thresholds.memoryPercent || sample.cpu.percent >= thresholds.cpuPercent;
}
