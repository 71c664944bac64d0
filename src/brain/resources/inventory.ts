/**
 * The machine's static inventory, read once at start: CPU model and cores, total memory, GPUs.
 * systeminformation does the reading, in a worker thread: si.graphics() runs nvidia-smi through execFileSync
 * with no timeout, so a hung driver would freeze whichever thread calls it. The worker can hang alone; after
 * the timeout Mai answers from os.* (and the live GPU sampler's figures) instead.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GpuSample } from '../../shared/contract';

export type GpuVendor = GpuSample['vendor'];

export interface InventoryGpu {
  name: string;
  vendor: GpuVendor;
  /** Dedicated VRAM; null where no trustworthy figure exists (integrated or unified memory, PCI BAR sizes). */
  vramTotalBytes: number | null;
}

export interface Inventory {
  cpuModel: string;
  /** Logical cores (what the OS schedules on). */
  cpuCores: number;
  /** Physical cores, for thread counts of compute-bound engines; equals cpuCores where unknown. */
  cpuPhysicalCores: number;
  totalMemoryBytes: number;
  gpus: InventoryGpu[];
  /** Where the CPU/memory figures came from: 'os' after a timeout or failure of systeminformation. */
  source: 'systeminformation' | 'os';
}

export interface ReadInventoryOptions {
  /**
   * si.cpu + si.mem + si.graphics take 50-200 ms with the worker's start, up to ~1 s with a cold NVIDIA driver;
   * 10 s is far past a healthy machine and still short enough that a hung one does not hold up start-up long.
   */
  timeoutMs?: number;
  /** Figures from the live GPU sampler (NVML, sysfs): exact totals, preferred over systeminformation's. */
  liveGpus?: readonly GpuSample[];
  /** Tests point this at a stand-in module. */
  systeminformationPath?: string;
}

interface SiCpu {
  manufacturer?: string;
  brand?: string;
  cores?: number;
  physicalCores?: number;
}
interface SiMem {
  total?: number;
}
interface SiController {
  vendor?: string;
  model?: string;
  name?: string;
  vram?: number | null;
  vramDynamic?: boolean;
}
type WorkerMessage = { kind: 'host'; cpu: SiCpu; mem: SiMem } | { kind: 'graphics'; controllers: SiController[] };

/** Runs as CommonJS in the worker; posts CPU/memory first so a hanging graphics() still leaves those. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const si = require(workerData.systeminformationPath);
Promise.all([si.cpu(), si.mem()])
  .then(([cpu, mem]) => parentPort.postMessage({ kind: 'host', cpu, mem }))
  .then(() => si.graphics())
  .then((graphics) => parentPort.postMessage({ kind: 'graphics', controllers: (graphics && graphics.controllers) || [] }))
  .catch(() => undefined)
  .finally(() => parentPort.close());
`;

export function gpuVendorOf(vendorText: string): GpuVendor {
  if (/nvidia/i.test(vendorText)) return 'nvidia';
  if (/\bamd\b|\bati\b|advanced micro/i.test(vendorText)) return 'amd';
  if (/intel/i.test(vendorText)) return 'intel';
  if (/apple/i.test(vendorText)) return 'apple';
  return 'other';
}

const bytesPerMib = 1024 * 1024;

/** systeminformation's vram is nvidia-smi's figure for NVIDIA but the PCI BAR size (often 256 MB) elsewhere. */
export function inventoryGpusFrom(
  controllers: readonly SiController[],
  liveGpus: readonly GpuSample[],
): InventoryGpu[] {
  const live = liveGpus.map((gpu) => ({ name: gpu.name, vendor: gpu.vendor, vramTotalBytes: gpu.vramTotalBytes }));
  const liveVendors = new Set(live.map((gpu) => gpu.vendor));
  const fromSi = controllers
    .map((controller) => ({ controller, vendor: gpuVendorOf(`${controller.vendor ?? ''} ${controller.model ?? ''}`) }))
    .filter(({ vendor }) => !liveVendors.has(vendor))
    .map(({ controller, vendor }) => ({
      name: controller.model || controller.name || 'GPU',
      vendor,
      vramTotalBytes:
        vendor === 'nvidia' && typeof controller.vram === 'number' && !controller.vramDynamic
          ? controller.vram * bytesPerMib
          : null,
    }));
  return [...live, ...fromSi];
}

function osInventory(liveGpus: readonly GpuSample[]): Inventory {
  const cores = os.availableParallelism();
  return {
    cpuModel: os.cpus()[0]?.model.trim() || 'unknown CPU',
    cpuCores: cores,
    cpuPhysicalCores: cores,
    totalMemoryBytes: os.totalmem(),
    gpus: inventoryGpusFrom([], liveGpus),
    source: 'os',
  };
}

/** Reads the inventory once; never throws and never waits much past timeoutMs. */
export function readInventory(options: ReadInventoryOptions = {}): Promise<Inventory> {
  const liveGpus = options.liveGpus ?? [];
  const fallback = osInventory(liveGpus);
  let systeminformationPath: string;
  try {
    systeminformationPath =
      options.systeminformationPath ?? createRequire(import.meta.url).resolve('systeminformation');
  } catch {
    return Promise.resolve(fallback);
  }

  return new Promise((resolve) => {
    let inventory = fallback;
    const worker = new Worker(workerSource, { eval: true, workerData: { systeminformationPath } });
    worker.unref();
    const finish = () => {
      clearTimeout(timer);
      resolve(inventory);
      void worker.terminate();
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 10_000);
    timer.unref();
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'host') {
        const cpuCores = message.cpu.cores || fallback.cpuCores;
        inventory = {
          ...inventory,
          cpuModel: `${message.cpu.manufacturer ?? ''} ${message.cpu.brand ?? ''}`.trim() || fallback.cpuModel,
          cpuCores,
          cpuPhysicalCores: message.cpu.physicalCores || cpuCores,
          totalMemoryBytes: message.mem.total || fallback.totalMemoryBytes,
          source: 'systeminformation',
        };
      } else {
        inventory = { ...inventory, gpus: inventoryGpusFrom(message.controllers, liveGpus) };
        finish();
      }
    });
    worker.on('error', finish);
    worker.on('exit', finish);
  });
}
