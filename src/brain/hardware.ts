import type { Inventory } from './resources/inventory';
import type { HardwareInventory } from './tiers';

/**
 * The inventory as tiers read it: physical cores (inference scales with them, hyper-threads add little) and Apple
 * GPUs marked as unified memory.
 */
export function hardwareFromInventory(inventory: Inventory): HardwareInventory {
  return {
    totalMemoryBytes: inventory.totalMemoryBytes,
    cpuCores: inventory.cpuPhysicalCores,
    gpus: inventory.gpus.map((gpu) => ({
      name: gpu.name,
      vramTotalBytes: gpu.vramTotalBytes,
      ...(gpu.vendor === 'apple' ? { unifiedMemory: true } : {}),
    })),
  };
}
