import type { GpuSample } from '../../../shared/contract';

/**
 * What a sleeping card reports without being asked: its last figures (zeros before any), marked asleep and stale.
 * Utilisation and temperature are not carried over: a figure from before it slept would say it is busy or warm now.
 */
export function asleepSample(base: Pick<GpuSample, 'index' | 'name' | 'vendor'>, lastKnown?: GpuSample): GpuSample {
  return {
    ...base,
    vramTotalBytes: lastKnown?.vramTotalBytes ?? 0,
    vramUsedBytes: lastKnown?.vramUsedBytes ?? 0,
    vramFreeBytes: lastKnown?.vramFreeBytes ?? 0,
    utilizationPercent: null,
    temperatureC: null,
    asleep: true,
    stale: true,
  };
}
