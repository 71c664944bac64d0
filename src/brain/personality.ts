import type { Mood, ResourceSample } from '../shared/contract';
import type { ScalingThresholds } from './config';

export type { Mood } from '../shared/contract';

/**
 * How close the machine is to the tier's thresholds, in words: within 15 points below a threshold is "stretched"
 * (the scaler's hysteresis band, where an upgrade would not be attempted), at or above it "strained".
 */
export function moodOf(sample: ResourceSample, thresholds: ScalingThresholds): Mood {
  const memoryGap = thresholds.memoryPercent - sample.memory.usedPercent;
  const cpuGap = thresholds.cpuPercent - sample.cpu.percent;
  const gap = Math.min(memoryGap, cpuGap);
  if (gap <= 0) return 'strained';
  if (gap <= 15) return 'stretched';
  // Far below both: half the threshold or less on memory is plenty of room.
  return sample.memory.usedPercent <= thresholds.memoryPercent / 2 ? 'relaxed' : 'comfortable';
}

/** Mai's one-line status in its own voice (the ResourcePersonality of the plan). */
export function personalityLine(
  sample: ResourceSample,
  thresholds: ScalingThresholds,
  modelKey: string | null,
): string {
  const mood = moodOf(sample, thresholds);
  const figures = `RAM ${Math.round(sample.memory.usedPercent)}%, CPU ${Math.round(sample.cpu.percent)}%`;
  const model = modelKey ? ` with ${modelKey}` : '';
  switch (mood) {
    case 'relaxed':
      return `Relaxed${model}: plenty of room (${figures}).`;
    case 'comfortable':
      return `Comfortable${model}: room to spare (${figures}).`;
    case 'stretched':
      return `Stretched${model}: close to my limits (${figures}); I will not move up to a bigger model now.`;
    case 'strained':
      return `Strained${model}: over my limits (${figures}); I will switch to a lighter model if it lasts.`;
  }
}
