import type { GpuSample, ResourceSample } from '../../shared/contract';

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
}

export const noGpuSampler: GpuSampler = {
  read: () => [],
  close: () => undefined,
};
