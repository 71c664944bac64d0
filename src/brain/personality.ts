import type { Mood, ResourceSample } from '../shared/contract';
import type { ScalingThresholds } from './config';
import { memoryPressurePercent, othersCpuPercent } from './resources/pressure';

export type { Mood } from '../shared/contract';

/**
 * How close the machine is to the tier's thresholds, in words: within 15 points below a threshold is "stretched"
 * (the scaler's hysteresis band, where an upgrade would not be attempted), at or above it "strained". CPU is other
 * programs' (resources/pressure.ts): Mai answering at full speed is not a machine under strain.
 */
export function moodOf(sample: ResourceSample, thresholds: ScalingThresholds): Mood {
  const memoryPercent = memoryPressurePercent(sample);
  const memoryGap = thresholds.memoryPercent - memoryPercent;
  const cpuGap = thresholds.cpuPercent - othersCpuPercent(sample);
  const gap = Math.min(memoryGap, cpuGap);
  if (gap <= 0) return 'strained';
  if (gap <= 15) return 'stretched';
  // Far below both: half the threshold or less on memory is plenty of room.
  return memoryPercent <= thresholds.memoryPercent / 2 ? 'relaxed' : 'comfortable';
}

/**
 * The figures the line names: memory, other programs' CPU, and Mai's own where the sampler measured it (1 % or
 * more: below that it is rounding, and saying "0% mine" at idle tells nobody anything).
 */
function figuresOf(sample: ResourceSample): string {
  const memory = `RAM ${Math.round(memoryPressurePercent(sample))}%`;
  const mine = sample.cpu.maiPercent;
  if (mine === undefined) return `${memory}, CPU ${Math.round(sample.cpu.percent)}%`;
  const own = mine >= 1 ? `, ${Math.round(mine)}% mine` : '';
  return `${memory}, CPU ${Math.round(othersCpuPercent(sample))}% from other programs${own}`;
}

/**
 * Mai's one-line status in its own voice (the ResourcePersonality of the plan); `cause` names what is taking the
 * machine when Mai knows (resourceAttribution: "chromium +2.8 GiB in 2 min").
 */
export function personalityLine(
  sample: ResourceSample,
  thresholds: ScalingThresholds,
  modelKey: string | null,
  cause: string | null = null,
): string {
  const mood = moodOf(sample, thresholds);
  const figures = figuresOf(sample);
  const model = modelKey ? ` with ${modelKey}` : '';
  const because = cause ? `; ${cause}` : '';
  switch (mood) {
    case 'relaxed':
      return `Relaxed${model}: plenty of room (${figures}).`;
    case 'comfortable':
      return `Comfortable${model}: room to spare (${figures}).`;
    case 'stretched':
      return `Stretched${model}: close to my limits (${figures}${because}); I will not move up to a bigger model now.`;
    case 'strained':
      return `Strained${model}: over my limits (${figures}${because}); I will switch to a lighter model if it lasts.`;
  }
}
