import { existsSync } from 'node:fs';
import type { GpuSample } from '../../../shared/contract';
import { silentLogger, type Logger } from '../../logger';
import { noGpuSampler, type GpuSampler } from '../sampler';
import { AmdSysfsSampler, findAmdCards } from './AmdSysfsSampler';
import { findOnPath } from './findOnPath';
import { NvidiaSmiSampler } from './NvidiaSmiSampler';
import { createNvmlSampler } from './NvmlSampler';

export type GpuSource = 'nvml' | 'nvidia-smi' | 'amd-sysfs' | 'none';

export interface CreateGpuSamplerOptions {
  /** NVML library candidates; the driver's usual places by default. [] skips NVML. */
  nvmlLibraryPaths?: readonly string[];
  /** nvidia-smi's full path; found on PATH by default. null skips it. */
  nvidiaSmiPath?: string | null;
  /**
   * Root of sysfs: the AMD sampler's source, and where every card's runtime power state is checked before it is
   * queried (a query wakes a sleeping laptop GPU). '/sys' by default (Linux only). null skips both.
   */
  sysfsRoot?: string | null;
  /**
   * A driver can hang inside nvmlInit; after this long Mai moves on to the next source. 10 s is well past a
   * cold init without persistence mode (up to a few seconds on multi-GPU boards).
   */
  nvmlInitTimeoutMs?: number;
  intervalMs?: number;
  logger?: Logger;
}

export interface ChosenGpuSampler {
  source: GpuSource;
  sampler: GpuSampler;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/** NVML if it starts with a device, else nvidia-smi on PATH, else AMD sysfs with a card, else none. Never throws. */
export async function chooseGpuSampler(options: CreateGpuSamplerOptions = {}): Promise<ChosenGpuSampler> {
  const logger = options.logger ?? silentLogger;
  const sysfsRoot =
    options.sysfsRoot === undefined ? (process.platform === 'linux' ? '/sys' : null) : options.sysfsRoot;
  // Linux without the NVIDIA kernel driver (no /proc/driver/nvidia) has no NVML to open: skip loading the FFI
  // library and looking for it (~15 ms of every start, --cpu-prof). Explicit library paths (tests) are always tried.
  const noNvidiaDriver =
    options.nvmlLibraryPaths === undefined && process.platform === 'linux' && !existsSync('/proc/driver/nvidia');
  const opening = createNvmlSampler(noNvidiaDriver ? [] : options.nvmlLibraryPaths, { sysfsRoot });
  const nvml = await withTimeout(opening, options.nvmlInitTimeoutMs ?? 10_000);
  if (nvml && nvml.deviceCount > 0) return { source: 'nvml', sampler: nvml };
  nvml?.close();
  // An init that answers after the timeout must still be shut down.
  if (!nvml) void opening.then((late) => late?.close());

  const nvidiaSmiPath = options.nvidiaSmiPath === undefined ? findOnPath('nvidia-smi') : options.nvidiaSmiPath;
  if (nvidiaSmiPath) {
    const sampler = new NvidiaSmiSampler({
      command: nvidiaSmiPath,
      logger,
      sysfsRoot,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    });
    return { source: 'nvidia-smi', sampler };
  }

  const amdCards = sysfsRoot === null ? [] : findAmdCards(sysfsRoot);
  if (amdCards.length > 0) return { source: 'amd-sysfs', sampler: new AmdSysfsSampler(amdCards) };

  return { source: 'none', sampler: noGpuSampler };
}

/** A GpuSampler at once, whose source is chosen in the background (NVML starts asynchronously). */
export interface AutoGpuSampler extends GpuSampler {
  /** Which source was chosen, once it is. */
  source(): Promise<GpuSource>;
  reprobe(): void;
  setPace(intervalMs: number): void;
}

/**
 * The GPU sampler for this machine, usable at once: the first read waits for the choice; close() before the
 * choice ends whichever source it lands on. On a machine without a GPU every read is []. reprobe() (after the
 * machine slept) closes the source and chooses afresh: NVML handles and an nvidia-smi child from before a suspend
 * may point at a card that was reset, and an eGPU may be gone or new.
 */
export function createGpuSampler(options: CreateGpuSamplerOptions = {}): AutoGpuSampler {
  const logger = options.logger ?? silentLogger;
  let closed = false;
  let paceMs: number | undefined;
  const choose = () =>
    chooseGpuSampler(options).then((choice) => {
      logger.info('gpu sampler chosen', { source: choice.source });
      if (paceMs !== undefined) choice.sampler.setPace?.(paceMs);
      return choice;
    });
  let chosen = choose();
  return {
    source: async () => (await chosen).source,
    async read(): Promise<GpuSample[]> {
      if (closed) return [];
      return (await chosen).sampler.read();
    },
    reprobe() {
      if (closed) return;
      const previous = chosen;
      void previous.then((choice) => choice.sampler.close());
      chosen = previous.then(choose, choose);
    },
    setPace(intervalMs) {
      paceMs = intervalMs;
      void chosen.then((choice) => choice.sampler.setPace?.(intervalMs));
    },
    close() {
      if (closed) return;
      closed = true;
      void chosen.then((choice) => choice.sampler.close());
    },
  };
}
