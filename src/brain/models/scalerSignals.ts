/** Pure readings of a sample window that the scaler's rules are written in: how long a condition has held. */
import type { ResourceSample } from '../../shared/contract';

/**
 * How long `holds` has been true of every sample up to now: nowMs minus the time of the earliest sample of the
 * unbroken run ending at the newest one. 0 when the newest sample fails it, or when the newest sample is older than
 * `maxGapMs` (stale readings say nothing about now). A gap wider than `maxGapMs` between samples ends the run there.
 */
export function heldForMs(
  samples: readonly ResourceSample[],
  nowMs: number,
  holds: (sample: ResourceSample) => boolean,
  maxGapMs: number,
): number {
  let index = samples.length - 1;
  while (index >= 0 && (samples[index]?.atMs ?? Infinity) > nowMs) index -= 1;
  const newest = samples[index];
  if (!newest || nowMs - newest.atMs > maxGapMs || !holds(newest)) return 0;
  let earliestMs = newest.atMs;
  for (let i = index - 1; i >= 0; i -= 1) {
    const sample = samples[i];
    if (!sample || earliestMs - sample.atMs > maxGapMs || !holds(sample)) break;
    earliestMs = sample.atMs;
  }
  return nowMs - earliestMs;
}

/** The newest sample at or before nowMs. */
export function latestSample(samples: readonly ResourceSample[], nowMs: number): ResourceSample | undefined {
  for (let i = samples.length - 1; i >= 0; i -= 1) {
    const sample = samples[i];
    if (sample && sample.atMs <= nowMs) return sample;
  }
  return undefined;
}

/** Whole seconds for a person ("12 s"); decisions keep the milliseconds. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/** One decimal place, trailing ".0" dropped ("85 %", "87.5 %"). */
export function percentText(value: number): string {
  return `${Number(value.toFixed(1))} %`;
}
