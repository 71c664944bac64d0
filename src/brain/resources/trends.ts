/**
 * Pure trend maths over resource samples: a time-constant EWMA (irregular intervals weigh correctly), a
 * least-squares slope over a window, its R² (how far a straight line explains the window), and the time until a
 * threshold is crossed when the line heads toward it.
 */
import type { ResourceSample } from '../../shared/contract';

export type TrendMetric = 'memory.usedPercent' | 'cpu.percent' | 'swap.usedPercent' | `gpu.${number}.vramUsedPercent`;

export interface TrendOptions {
  /** The level whose crossing is projected, in the metric's unit. */
  threshold?: number;
  /**
   * EWMA time constant. 30 s irons out one-second spikes (a tab opening, a GC) yet follows a model load,
   * which fills memory over seconds to tens of seconds.
   */
  tauMs?: number;
  /** The time of each sample; its wall-clock atMs by default (the monitor passes monotonic times). */
  timeOf?: (sample: ResourceSample, index: number) => number;
}

export interface Trend {
  /** Smoothed level at the newest sample; null without samples. */
  ewma: number | null;
  /** Least-squares slope, metric units per second; null with fewer than two distinct times. */
  slopePerSecond: number | null;
  /** Fit quality in [0, 1]; 1 for a window that is exactly a line (a flat one included); null like the slope. */
  r2: number | null;
  /** Ms from nowMs until the fitted line reaches the threshold; null without one, or when flat or heading away. */
  projectedMsToThreshold: number | null;
  sampleCount: number;
}

function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

/** The metric's value in one sample, or null where the sample lacks it (e.g. that GPU was absent). */
export function metricValue(sample: ResourceSample, metric: TrendMetric): number | null {
  if (metric === 'memory.usedPercent') return sample.memory.usedPercent;
  if (metric === 'cpu.percent') return sample.cpu.percent;
  if (metric === 'swap.usedPercent') return percentOf(sample.swap.usedBytes, sample.swap.totalBytes);
  const match = /^gpu\.(\d+)\.vramUsedPercent$/.exec(metric);
  const gpu = match ? sample.gpus.find((g) => g.index === Number(match[1])) : undefined;
  return gpu ? percentOf(gpu.vramUsedBytes, gpu.vramTotalBytes) : null;
}

export function isTrendMetric(name: string): name is TrendMetric {
  return /^(memory\.usedPercent|cpu\.percent|swap\.usedPercent|gpu\.\d+\.vramUsedPercent)$/.test(name);
}

interface Point {
  timeMs: number;
  value: number;
}

function ewmaOf(points: readonly Point[], tauMs: number): number | null {
  let level: number | null = null;
  let previousMs = 0;
  for (const { timeMs, value } of points) {
    if (level === null) level = value;
    else {
      // alpha from the gap, not a fixed per-sample weight: a sample after a 5 s stall counts five times as much.
      const alpha = tauMs > 0 ? 1 - Math.exp(-Math.max(0, timeMs - previousMs) / tauMs) : 1;
      level += alpha * (value - level);
    }
    previousMs = timeMs;
  }
  return level;
}

interface LineFit {
  slopePerMs: number;
  intercept: number;
  r2: number;
}

/** Ordinary least squares of value on time, time taken relative to the first point to keep the sums well-conditioned. */
function fitLine(points: readonly Point[]): LineFit | null {
  const n = points.length;
  if (n < 2) return null;
  const t0 = points[0]?.timeMs ?? 0;
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    sumT += p.timeMs - t0;
    sumV += p.value;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let sTT = 0;
  let sTV = 0;
  let sVV = 0;
  for (const p of points) {
    const dt = p.timeMs - t0 - meanT;
    const dv = p.value - meanV;
    sTT += dt * dt;
    sTV += dt * dv;
    sVV += dv * dv;
  }
  if (sTT === 0) return null;
  // A window without variance (up to float rounding of the mean) is a flat line, fitted exactly.
  const flat = sVV <= Number.EPSILON * n * Math.max(1, meanV * meanV);
  const slopePerMs = flat ? 0 : sTV / sTT;
  const residual = Math.max(0, sVV - slopePerMs * sTV);
  const r2 = flat ? 1 : Math.min(1, Math.max(0, 1 - residual / sVV));
  return { slopePerMs, intercept: meanV - slopePerMs * (meanT + t0), r2 };
}

/**
 * Only a crossing still ahead counts: a line already past the threshold is "heading away" from it, and whether
 * being past is bad is the caller's question (it can read the level itself).
 */
function msToThreshold(fit: LineFit, nowMs: number, threshold: number): number | null {
  if (fit.slopePerMs === 0) return null;
  const remaining = threshold - (fit.intercept + fit.slopePerMs * nowMs);
  const ms = remaining / fit.slopePerMs;
  return ms >= 0 ? ms : null;
}

/** The trend of one metric over the samples within (nowMs - windowMs, nowMs]. */
export function trend(
  samples: readonly ResourceSample[],
  metric: TrendMetric,
  windowMs: number,
  nowMs: number,
  options: TrendOptions = {},
): Trend {
  const timeOf = options.timeOf ?? ((sample: ResourceSample) => sample.atMs);
  const points: Point[] = [];
  samples.forEach((sample, index) => {
    const timeMs = timeOf(sample, index);
    const value = metricValue(sample, metric);
    if (value !== null && timeMs > nowMs - windowMs && timeMs <= nowMs) points.push({ timeMs, value });
  });
  points.sort((a, b) => a.timeMs - b.timeMs);
  const fit = fitLine(points);
  return {
    ewma: ewmaOf(points, options.tauMs ?? 30_000),
    slopePerSecond: fit ? fit.slopePerMs * 1000 : null,
    r2: fit ? fit.r2 : null,
    projectedMsToThreshold:
      fit && options.threshold !== undefined ? msToThreshold(fit, nowMs, options.threshold) : null,
    sampleCount: points.length,
  };
}
