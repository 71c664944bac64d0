import type { TierInfo } from '../../shared/contract';
import { formatGib, tierNames, type TierName, type TierSpec, type TiersConfig } from '../config';
import type { HardwareInventory, HardwareGpu } from './inventory';

export type TierClassification = TierInfo & { name: TierName };

/**
 * The OS reports less RAM than is installed: Linux's MemTotal and Windows' usable memory leave out the kernel,
 * firmware reservations and integrated-GPU carve-outs (8 GiB laptops show 7.4-7.8 GiB, a 4 GiB Raspberry Pi
 * 3.7 GiB). Up to 8 % under a tier's RAM minimum still counts as meeting it. VRAM gets no allowance: drivers report
 * a card's full size, and a 5.9 GiB card really is smaller than a 6 GiB one.
 */
export const ramReportingAllowanceFraction = 0.08;

/**
 * Share of RAM an Apple-silicon GPU may use: macOS caps the GPU's working set (recommendedMaxWorkingSetSize) at
 * about 2/3 of RAM on smaller machines and 3/4 on larger ones; the lower share is the one every Mac grants.
 */
export const unifiedMemoryGpuFraction = 2 / 3;

interface Check {
  met: boolean;
  reason: string;
}

function checkRam(totalBytes: number, name: TierName, spec: TierSpec): Check {
  const minBytes = spec.ramBytes.min;
  const shown = `RAM ${formatGib(totalBytes)}`;
  if (totalBytes >= minBytes) return { met: true, reason: `${shown} ≥ ${formatGib(minBytes)}` };
  if (totalBytes >= minBytes * (1 - ramReportingAllowanceFraction)) {
    const allowance = `${ramReportingAllowanceFraction * 100} %`;
    return {
      met: true,
      reason: `${shown} counts as ${formatGib(minBytes)} installed (the OS reports up to ${allowance} less)`,
    };
  }
  return { met: false, reason: `${shown}, ${name} requires ≥ ${formatGib(minBytes)}` };
}

function checkCores(cores: number, name: TierName, spec: TierSpec): Check {
  const shown = cores === 1 ? '1 core' : `${cores} cores`;
  const { min } = spec.cpuCores;
  if (cores >= min) return { met: true, reason: `${shown} ≥ ${min}` };
  return { met: false, reason: `${shown}, ${name} requires ≥ ${min}` };
}

/** What a model can count on from this GPU; null where the inventory has no figure. */
function usableVramBytes(gpu: HardwareGpu, totalMemoryBytes: number): number | null {
  return gpu.unifiedMemory ? totalMemoryBytes * unifiedMemoryGpuFraction : gpu.vramTotalBytes;
}

function describeGpu(gpu: HardwareGpu, vramBytes: number | null, totalMemoryBytes: number): string {
  if (gpu.unifiedMemory) {
    return `GPU ${gpu.name} sharing ${formatGib(totalMemoryBytes)} RAM, ${formatGib(vramBytes ?? 0)} usable as VRAM`;
  }
  return vramBytes === null ? `GPU ${gpu.name} with unknown VRAM` : `GPU ${gpu.name} with ${formatGib(vramBytes)} VRAM`;
}

/**
 * Where the tier requires a GPU, the card with the most usable VRAM must have enough. Mixed GPUs (an integrated
 * one beside a discrete card) cannot pool memory for one model, and splitting a model across cards costs
 * bandwidth: the largest card is what a model can count on.
 */
function checkGpu(inventory: HardwareInventory, name: TierName, spec: TierSpec): Check | null {
  if (!spec.gpuRequired) return null;
  const minText = formatGib(spec.gpuVramBytes.min);
  let best: { gpu: HardwareGpu; vramBytes: number | null } | undefined;
  for (const gpu of inventory.gpus) {
    const vramBytes = usableVramBytes(gpu, inventory.totalMemoryBytes);
    if (!best || (vramBytes ?? -1) > (best.vramBytes ?? -1)) best = { gpu, vramBytes };
  }
  if (!best) return { met: false, reason: `no GPU, ${name} requires one with ≥ ${minText} VRAM` };
  const shown = describeGpu(best.gpu, best.vramBytes, inventory.totalMemoryBytes);
  if (best.vramBytes !== null && best.vramBytes >= spec.gpuVramBytes.min) {
    return { met: true, reason: `${shown} ≥ ${minText}` };
  }
  return { met: false, reason: `${shown}, ${name} requires ≥ ${minText}` };
}

function checkTier(inventory: HardwareInventory, name: TierName, spec: TierSpec): Check[] {
  const gpu = checkGpu(inventory, name, spec);
  return [
    checkRam(inventory.totalMemoryBytes, name, spec),
    checkCores(inventory.cpuCores, name, spec),
    ...(gpu ? [gpu] : []),
  ];
}

/**
 * The machine gets the highest tier whose every minimum it meets: RAM, cores and, where the tier requires a GPU,
 * one card with enough VRAM. A tier's maxima describe the machines it was written for but never disqualify one: a
 * machine that fails a higher tier is better served by the tier below than by none, so 32 GiB without a GPU is
 * mid_range (high_end wants a GPU). A machine below even low_end's minimums gets low_end, the floor: its small
 * models are the best chance such a machine has. The reasons say why each higher tier was missed, then why the
 * chosen one fits.
 */
export function classifyTier(inventory: HardwareInventory, tiers: TiersConfig): TierClassification {
  const missed: string[] = [];
  for (const name of [...tierNames].reverse()) {
    const checks = checkTier(inventory, name, tiers[name]);
    const failures = checks.filter((check) => !check.met).map((check) => check.reason);
    if (failures.length === 0) return { name, reasons: [...missed, ...checks.map((check) => check.reason)] };
    missed.push(...failures);
  }
  const floor = tierNames[0];
  return { name: floor, reasons: [...missed, `below every tier's minimums; ${floor} is the floor`] };
}
