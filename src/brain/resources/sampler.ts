import type { GpuSample, PowerState, ResourceSample } from '../../shared/contract';

/** Everything a sample holds except its timestamp, which the monitor stamps. */
export type ResourceReading = Omit<ResourceSample, 'atMs'>;

/** A live source of CPU/RAM figures. It runs at 1 Hz, so a read must be cheap (no process spawns). */
export interface HostSampler {
  read(): ResourceReadingWithoutGpus;
  close(): void;
}

export type ResourceReadingWithoutGpus = Omit<ResourceReading, 'gpus'>;

/** A live source of per-GPU figures. "No GPU" is `[]`, never an error. */
export interface GpuSampler {
  read(): Promise<GpuSample[]> | GpuSample[];
  close(): void;
  /**
   * How often the monitor will read, for a source that polls by itself (nvidia-smi's stream): the monitor slows
   * down while no model uses the GPU, so the card may reach its runtime suspend.
   */
  setPace?(intervalMs: number): void;
  /** The machine woke from sleep: drop handles opened before it and find the GPUs again. */
  reprobe?(): void;
}

/** Where the machine draws power from. Battery state changes slowly, so the monitor reads it every few tens of s. */
export interface PowerSampler {
  read(): Promise<PowerState> | PowerState;
  close(): void;
}

export const noGpuSampler: GpuSampler = {
  read: () => [],
  close: () => undefined,
};
