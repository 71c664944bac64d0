import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { GpuSample } from '../../shared/contract';
import type { Inventory } from './inventory';

/**
 * The static inventory kept between runs (`$MAI_HOME/cache/inventory.json`): systeminformation's reading takes
 * 50-200 ms in its worker (up to ~1 s with a cold NVIDIA driver) on every start, for figures that change only with
 * the hardware. A kept one is used while the machine is the same boot and the same hardware as when it was read:
 * the same boot id (Linux; elsewhere the boot time), cores, total memory and live GPUs, and the same Mai.
 */
const InventorySchema = z.object({
  cpuModel: z.string(),
  cpuCores: z.number().int().positive(),
  cpuPhysicalCores: z.number().int().positive(),
  totalMemoryBytes: z.number().nonnegative(),
  gpus: z.array(
    z.object({
      name: z.string(),
      vendor: z.enum(['nvidia', 'amd', 'intel', 'apple', 'other']),
      vramTotalBytes: z.number().nonnegative().nullable(),
    }),
  ),
  source: z.enum(['systeminformation', 'os']),
});

const KeptSchema = z.object({ machine: z.string(), inventory: InventorySchema });

/** This boot of this hardware, as a string to compare: what invalidates a kept inventory. */
export function machineSignature(maiVersion: string, liveGpus: readonly GpuSample[]): string {
  let boot: string;
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // Not Linux: the boot time, to the minute (uptime and the clock are read a moment apart).
    boot = String(Math.round((Date.now() - os.uptime() * 1000) / 60_000));
  }
  const gpus = liveGpus.map((gpu) => `${gpu.name}/${gpu.vramTotalBytes}`).join(',');
  return [maiVersion, boot, os.cpus().length, os.totalmem(), gpus].join('|');
}

export interface InventoryCacheOptions {
  file: string;
  machine: string;
}

/** The kept inventory for this machine, or a fresh reading (kept for next time when systeminformation gave it). */
export async function cachedInventory(
  read: () => Promise<Inventory>,
  options: InventoryCacheOptions,
): Promise<Inventory> {
  try {
    const kept = KeptSchema.safeParse(JSON.parse(readFileSync(options.file, 'utf8')));
    if (kept.success && kept.data.machine === options.machine) return kept.data.inventory;
  } catch {
    // None kept yet, or unreadable: read afresh.
  }
  const inventory = await read();
  // A reading from os.* after a timeout is a stand-in: the next start should try systeminformation again.
  if (inventory.source === 'systeminformation') {
    try {
      mkdirSync(path.dirname(options.file), { recursive: true });
      const temporary = `${options.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ machine: options.machine, inventory }));
      renameSync(temporary, options.file);
    } catch {
      // Not kept: the next start reads it again.
    }
  }
  return inventory;
}
