/**
 * The scaler's trigger rules (DESIGN.md §3, Switching): a pure function of the sample window, the model in use and
 * the clock, saying whether to switch down, up, or stay, with the trigger, a reason for a person, and the figures
 * it decided on. The model manager runs it on each sample and asks selectModel what to switch to.
 */
import type { ResourceSample } from '../../shared/contract';
import { modelCategories, type ModelCategory, type ScalingThresholds } from '../config';
import { othersCpuPercent } from '../resources/pressure';
import { trend } from '../resources/trends';
import { defaultScalerOptions, type ScalerOptions } from './scalerOptions';
import { heldForMs, latestSample, percentText, seconds } from './scalerSignals';

export { defaultScalerOptions, type ScalerOptions } from './scalerOptions';

export type ScalingAction = 'none' | 'down' | 'up';
export type ScalingTrigger =
  'sustained_memory' | 'sustained_cpu' | 'memory_trend' | 'slow_generation' | 'pressure_cleared';

export interface ScalingInputs {
  nowMs: number;
  /** The recent window, oldest first, on the same clock as nowMs. */
  samples: readonly ResourceSample[];
  thresholds: ScalingThresholds;
  /** An answer is streaming: the model stays (a failure mid-answer falls back in the answer pipeline instead). */
  generating: boolean;
  current: { key: string; category: ModelCategory } | null;
  lastSwitchAtMs: number | null;
  /** Which programs are taking the machine (resources/PressureAttribution), named in the reasons. */
  causes?: { memory: string | null; cpu: string | null };
  /** Speed of the last answer against the model's usual speed. */
  generation?: { tokensPerSecond: number; usualTokensPerSecond: number };
  options?: Partial<ScalerOptions>;
}

export interface ScalingDecision {
  action: ScalingAction;
  trigger: ScalingTrigger | null;
  reason: string;
  /** What the rules read: percents, thresholds, durations in ms, the trend; absent where not known. */
  figures: Record<string, number>;
}

interface Readings {
  memoryPercent: number;
  cpuPercent: number;
  memoryAboveForMs: number;
  cpuAboveForMs: number;
  calmForMs: number;
  projectedMs: number | null;
  trendR2: number | null;
  /** Mai's own share of the CPU, left out of cpuPercent; null where the sampler does not say. */
  maiCpuPercent: number | null;
}

function read(inputs: ScalingInputs, options: ScalerOptions, latest: ResourceSample): Readings {
  const { samples, nowMs, thresholds } = inputs;
  const gap = options.maxSampleGapMs;
  const calmMemory = thresholds.memoryPercent - options.upBandPoints;
  const calmCpu = thresholds.cpuPercent - options.upBandPoints;
  const memoryTrend = trend(samples, 'memory.usedPercent', options.trendWindowMs, nowMs, {
    threshold: thresholds.memoryPercent,
  });
  const trusted = memoryTrend.sampleCount >= options.trendMinSamples && (memoryTrend.r2 ?? 0) >= options.trendMinR2;
  return {
    memoryPercent: latest.memory.usedPercent,
    // Other programs' CPU: Mai's own generation is the work it was asked for, never a reason to switch down.
    cpuPercent: othersCpuPercent(latest),
    memoryAboveForMs: heldForMs(samples, nowMs, (s) => s.memory.usedPercent > thresholds.memoryPercent, gap),
    cpuAboveForMs: heldForMs(samples, nowMs, (s) => othersCpuPercent(s) > thresholds.cpuPercent, gap),
    calmForMs: heldForMs(
      samples,
      nowMs,
      (s) => s.memory.usedPercent < calmMemory && othersCpuPercent(s) < calmCpu,
      gap,
    ),
    projectedMs: trusted ? memoryTrend.projectedMsToThreshold : null,
    trendR2: memoryTrend.r2,
    maiCpuPercent: latest.cpu.maiPercent ?? null,
  };
}

function figuresOf(inputs: ScalingInputs, options: ScalerOptions, readings: Readings | null): Record<string, number> {
  const figures: Record<string, number> = {
    memoryThresholdPercent: inputs.thresholds.memoryPercent,
    cpuThresholdPercent: inputs.thresholds.cpuPercent,
    cooldownMs: options.cooldownMs,
    sustainedMs: options.sustainedMs,
  };
  if (inputs.lastSwitchAtMs !== null) figures.sinceLastSwitchMs = inputs.nowMs - inputs.lastSwitchAtMs;
  if (inputs.generation && inputs.generation.usualTokensPerSecond > 0) {
    figures.tokensPerSecond = inputs.generation.tokensPerSecond;
    figures.speedRatio = inputs.generation.tokensPerSecond / inputs.generation.usualTokensPerSecond;
  }
  if (!readings) return figures;
  const { projectedMs, trendR2, maiCpuPercent, ...rest } = readings;
  Object.assign(figures, rest);
  if (projectedMs !== null) figures.projectedMs = projectedMs;
  if (trendR2 !== null) figures.trendR2 = trendR2;
  if (maiCpuPercent !== null) figures.maiCpuPercent = maiCpuPercent;
  return figures;
}

/** The first way down that holds, in order of how sure it is: what is happening before what is predicted. */
function downRule(
  inputs: ScalingInputs,
  options: ScalerOptions,
  r: Readings,
): { trigger: ScalingTrigger; reason: string } | null {
  const { memoryPercent, cpuPercent } = inputs.thresholds;
  const memoryCause = inputs.causes?.memory ? ` (${inputs.causes.memory})` : '';
  const cpuCause = inputs.causes?.cpu ? ` (${inputs.causes.cpu})` : '';
  if (r.memoryAboveForMs >= options.sustainedMs) {
    const reason = `memory at ${percentText(r.memoryPercent)}${memoryCause} has been above ${percentText(memoryPercent)} for ${seconds(r.memoryAboveForMs)}`;
    return { trigger: 'sustained_memory', reason };
  }
  if (r.cpuAboveForMs >= options.sustainedMs) {
    const reason = `other programs' CPU at ${percentText(r.cpuPercent)}${cpuCause} has been above ${percentText(cpuPercent)} for ${seconds(r.cpuAboveForMs)}`;
    return { trigger: 'sustained_cpu', reason };
  }
  if (r.projectedMs !== null && r.projectedMs <= options.trendHorizonMs) {
    const reason = `memory (${percentText(r.memoryPercent)}${inputs.causes?.memory ? `; ${inputs.causes.memory}` : ''}) is rising steadily (R² ${r.trendR2?.toFixed(2)}) and reaches ${percentText(memoryPercent)} in ${seconds(r.projectedMs)}`;
    return { trigger: 'memory_trend', reason };
  }
  const speed = inputs.generation;
  if (speed && speed.usualTokensPerSecond > 0) {
    const ratio = speed.tokensPerSecond / speed.usualTokensPerSecond;
    if (ratio < options.slowGenerationRatio) {
      const reason = `the last answer ran at ${speed.tokensPerSecond.toFixed(1)} tokens/s, ${Math.round(ratio * 100)} % of the usual ${speed.usualTokensPerSecond.toFixed(1)}`;
      return { trigger: 'slow_generation', reason };
    }
  }
  return null;
}

/** Why nothing fired, naming the nearest trigger, so a dashboard can show how close a switch is. */
function steadyReason(inputs: ScalingInputs, options: ScalerOptions, r: Readings): string {
  const { memoryPercent, cpuPercent } = inputs.thresholds;
  if (r.memoryAboveForMs > 0) {
    return `memory above ${percentText(memoryPercent)} for ${seconds(r.memoryAboveForMs)} of the ${seconds(options.sustainedMs)} needed`;
  }
  if (r.cpuAboveForMs > 0) {
    return `other programs' CPU above ${percentText(cpuPercent)} for ${seconds(r.cpuAboveForMs)} of the ${seconds(options.sustainedMs)} needed`;
  }
  const level = `memory ${percentText(r.memoryPercent)}, CPU ${percentText(r.cpuPercent)} from other programs (thresholds ${percentText(memoryPercent)}, ${percentText(cpuPercent)})`;
  if (r.calmForMs > 0 && inputs.current?.category !== modelCategories.at(-1)) {
    return `${level}: calm for ${seconds(r.calmForMs)} of the ${seconds(options.upSustainedMs)} before an upgrade`;
  }
  return `${level}: steady`;
}

/**
 * A verdict's reason without the lead evaluateScaling gives it ("switch X down: ", "try above X: "): the pressure, or
 * the calm, in words, for the reason of whatever acts on it (a relief step, stepping aside).
 */
export function verdictCause(verdict: ScalingDecision): string {
  return verdict.reason.replace(/^(switch \S+ down|try above \S+): /, '');
}

export function evaluateScaling(inputs: ScalingInputs): ScalingDecision {
  const options: ScalerOptions = { ...defaultScalerOptions, ...inputs.options };
  const latest = latestSample(inputs.samples, inputs.nowMs);
  const readings = latest ? read(inputs, options, latest) : null;
  const figures = figuresOf(inputs, options, readings);
  const decide = (action: ScalingAction, trigger: ScalingTrigger | null, reason: string): ScalingDecision => ({
    action,
    trigger,
    reason,
    figures,
  });

  if (!readings) return decide('none', null, 'no resource samples yet');
  if (!inputs.current) return decide('none', null, 'no model is loaded, so there is nothing to switch');
  if (inputs.generating) return decide('none', null, 'an answer is being generated; the model stays until it is done');
  const sinceSwitchMs = inputs.lastSwitchAtMs === null ? Infinity : inputs.nowMs - inputs.lastSwitchAtMs;
  if (sinceSwitchMs < options.cooldownMs) {
    return decide(
      'none',
      null,
      `cooling down: the last switch was ${seconds(sinceSwitchMs)} ago, the next may come after ${seconds(options.cooldownMs)}`,
    );
  }
  const down = downRule(inputs, options, readings);
  if (down) return decide('down', down.trigger, `switch ${inputs.current.key} down: ${down.reason}`);
  const largest = inputs.current.category === modelCategories.at(-1);
  if (!largest && readings.calmForMs >= options.upSustainedMs) {
    const { memoryPercent, cpuPercent } = inputs.thresholds;
    const band = options.upBandPoints;
    return decide(
      'up',
      'pressure_cleared',
      `try above ${inputs.current.key}: memory and CPU have stayed below ${percentText(memoryPercent - band)} and ${percentText(cpuPercent - band)} for ${seconds(readings.calmForMs)}`,
    );
  }
  return decide('none', null, steadyReason(inputs, options, readings));
}
