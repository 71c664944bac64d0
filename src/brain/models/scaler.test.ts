import { describe, expect, it } from 'vitest';
import { sampleWith } from '../resources/testSamples';
import { evaluateScaling, type ScalingInputs } from './scaler';

const thresholds = { memoryPercent: 80, cpuPercent: 85 };

/** One sample a second for `seconds` ending at now = (seconds - 1) s, memory and CPU following the functions. */
function series(seconds: number, memoryAt: (t: number) => number, cpuAt: (t: number) => number = () => 20) {
  return Array.from({ length: seconds }, (_, t) =>
    sampleWith({ atMs: t * 1000, memoryUsedPercent: memoryAt(t), cpuPercent: cpuAt(t) }),
  );
}

/** Decides at the newest sample's time unless `nowMs` is given. */
function run(samples: ScalingInputs['samples'], overrides: Partial<ScalingInputs> = {}) {
  return evaluateScaling({
    nowMs: samples.at(-1)?.atMs ?? 0,
    samples,
    thresholds,
    generating: false,
    current: { key: 'qwen3-8b', category: 'medium' },
    lastSwitchAtMs: null,
    ...overrides,
  });
}

// The last `n` seconds of a 200 s window above/below a level, the rest at 50 %.
const lastSeconds = (n: number, level: number) => (t: number) => (t >= 200 - n ? level : 50);

describe('evaluateScaling', () => {
  it.each<[string, ScalingInputs['samples'], Partial<ScalingInputs>, string, string | null, RegExp]>([
    ['no samples yet', [], {}, 'none', null, /no resource samples yet/],
    [
      'memory above for 9 s of the 10 needed',
      series(200, lastSeconds(10, 90)),
      {},
      'none',
      null,
      /for 9 s of the 10 s needed/,
    ],
    [
      'memory above for 10 s',
      series(200, lastSeconds(11, 90)),
      {},
      'down',
      'sustained_memory',
      /memory at 90 % has been above 80 % for 10 s/,
    ],
    [
      'CPU above for 10 s',
      series(200, () => 50, lastSeconds(11, 95)),
      {},
      'down',
      'sustained_cpu',
      /CPU at 95 % has been above 85 % for 10 s/,
    ],
    [
      "CPU at 98 % for 30 s, 96 % of it Mai's own generation",
      // Memory within the band below its threshold, so this is not calm enough for an upgrade either.
      series(200, () => 70).map((s) => ({ ...s, cpu: { ...s.cpu, percent: 98, maiPercent: 96 } })),
      {},
      'none',
      null,
      /CPU 2 % from other programs .*steady/,
    ],
    [
      "CPU at 98 % for 30 s, 8 % of it Mai's",
      series(200, () => 50).map((s) => ({ ...s, cpu: { ...s.cpu, percent: 98, maiPercent: 8 } })),
      {},
      'down',
      'sustained_cpu',
      /other programs' CPU at 90 % has been above 85 %/,
    ],
    ['at the threshold is not above it', series(200, () => 80), {}, 'none', null, /steady/],
    [
      'a 6 s monitor stall breaks the run',
      series(200, lastSeconds(30, 90)).filter((s) => s.atMs <= 185_000 || s.atMs >= 191_000),
      {},
      'none',
      null,
      /for 8 s of the 10 s needed/,
    ],
    [
      'stale samples say nothing about now',
      series(200, lastSeconds(30, 90)),
      { nowMs: 205_000 },
      'none',
      null,
      /steady/,
    ],
    [
      'memory rising steadily to the threshold within 60 s',
      series(60, (t) => 40 + 0.5 * t), // 69.5 % now, 0.5 %/s: 80 % in 21 s
      {},
      'down',
      'memory_trend',
      /rising steadily \(R² 1\.00\) and reaches 80 % in 21 s/,
    ],
    ['a steady rise too far off (121 s)', series(60, (t) => 62 + 0.1 * t), {}, 'none', null, /steady/],
    [
      'a noisy window (R² < 0.8) is not a trend',
      series(60, (t) => 60 + 0.2 * t + (t % 2 === 0 ? 8 : -8)),
      {},
      'none',
      null,
      /steady/,
    ],
    [
      'generation at 40 % of its usual speed',
      series(30, () => 50),
      { generation: { tokensPerSecond: 8, usualTokensPerSecond: 20 } },
      'down',
      'slow_generation',
      /8\.0 tokens\/s, 40 % of the usual 20\.0/,
    ],
    [
      'generation at 60 % of its usual speed',
      series(30, () => 50),
      { generation: { tokensPerSecond: 12, usualTokensPerSecond: 20 } },
      'none',
      null,
      /memory 50 %, CPU 20 %/,
    ],
    ['never while generating', series(200, lastSeconds(60, 95)), { generating: true }, 'none', null, /being generated/],
    [
      'cooling down after a switch',
      series(200, lastSeconds(60, 95)),
      { lastSwitchAtMs: 150_000 },
      'none',
      null,
      /last switch was 49 s ago/,
    ],
    [
      'after the cooldown',
      series(200, lastSeconds(60, 95)),
      { lastSwitchAtMs: 139_000 },
      'down',
      'sustained_memory',
      /for 59 s/,
    ],
    ['no model loaded', series(200, lastSeconds(60, 95)), { current: null }, 'none', null, /no model is loaded/],
    [
      'calm for 120 s below the band',
      series(200, (t) => (t >= 79 ? 60 : 90)),
      {},
      'up',
      'pressure_cleared',
      /below 65 % and 70 % for 120 s/,
    ],
    ['calm for 119 s', series(200, (t) => (t >= 80 ? 60 : 90)), {}, 'none', null, /calm for 119 s of the 120 s/],
    ['low but inside the band (70 %)', series(300, () => 70), {}, 'none', null, /steady/],
    [
      'CPU busy inside the band keeps it from upgrading',
      series(
        300,
        () => 40,
        () => 75,
      ),
      {},
      'none',
      null,
      /steady/,
    ],
    [
      'already on a large model',
      series(300, () => 40),
      { current: { key: 'big', category: 'large' } },
      'none',
      null,
      /steady/,
    ],
  ])('%s', (_name, samples, overrides, action, trigger, reason) => {
    const result = run(samples, overrides);
    expect(result.action).toBe(action);
    expect(result.trigger).toBe(trigger);
    expect(result.reason).toMatch(reason);
  });

  it('carries the figures it decided on', () => {
    const { figures } = run(
      series(60, (t) => 40 + 0.5 * t),
      { lastSwitchAtMs: -100_000 },
    );
    expect(figures).toMatchObject({
      memoryPercent: 69.5,
      cpuPercent: 20,
      memoryThresholdPercent: 80,
      cpuThresholdPercent: 85,
      sustainedMs: 10_000,
      cooldownMs: 60_000,
      memoryAboveForMs: 0,
      cpuAboveForMs: 0,
      sinceLastSwitchMs: 159_000,
    });
    expect(figures.projectedMs).toBeCloseTo(21_000, -1);
    expect(figures.trendR2).toBeCloseTo(1, 6);
  });

  it('takes options over the defaults', () => {
    const samples = series(200, lastSeconds(6, 90));
    expect(run(samples).action).toBe('none');
    expect(run(samples, { options: { sustainedMs: 5000 } })).toMatchObject({
      action: 'down',
      trigger: 'sustained_memory',
    });
  });
});
