/** Builds contract-valid samples for tests of the pure code (trends, capacity) and of the monitor's logic. */
import type { GpuSample, ResourceSample } from '../../shared/contract';

const gib = 1024 ** 3;

export interface SampleFigures {
  atMs?: number;
  cpuPercent?: number;
  /** Mai's own share of cpuPercent; absent as from a sampler that does not say. */
  maiCpuPercent?: number;
  memoryUsedPercent?: number;
  totalBytes?: number;
  gpus?: GpuSample[];
}

export function sampleWith(figures: SampleFigures = {}): ResourceSample {
  const totalBytes = figures.totalBytes ?? 16 * gib;
  const usedPercent = figures.memoryUsedPercent ?? 50;
  return {
    atMs: figures.atMs ?? 0,
    cpu: {
      percent: figures.cpuPercent ?? 10,
      cores: 8,
      ...(figures.maiCpuPercent === undefined ? {} : { maiPercent: figures.maiCpuPercent }),
    },
    memory: {
      totalBytes,
      availableBytes: totalBytes * (1 - usedPercent / 100),
      usedPercent,
      maiBytes: 100 * 1024 ** 2,
    },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus: figures.gpus ?? [],
  };
}

export function gpuWith(index: number, vramUsedBytes: number, vramTotalBytes = 8 * gib): GpuSample {
  return {
    index,
    name: `Test GPU ${index}`,
    vendor: 'nvidia',
    vramTotalBytes,
    vramUsedBytes,
    vramFreeBytes: vramTotalBytes - vramUsedBytes,
    utilizationPercent: 0,
    temperatureC: null,
  };
}
