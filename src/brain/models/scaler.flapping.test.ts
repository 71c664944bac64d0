/**
 * Ten simulated minutes fed sample by sample at 1 Hz, the way the model manager runs the scaler: each switch is
 * applied (the category steps, lastSwitchAtMs moves forward) before the next sample. Pressure that only oscillates
 * around the threshold must cost at most one switch per cooldown and never a switch back up.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../../shared/contract';
import { modelCategories, type ModelCategory } from '../config';
import { sampleWith } from '../resources/testSamples';
import { defaultScalerOptions, evaluateScaling } from './scaler';

const thresholds = { memoryPercent: 80, cpuPercent: 85 };
const windowMs = 5 * 60_000;
const { cooldownMs, upSustainedMs } = defaultScalerOptions;

interface Switch {
  atMs: number;
  action: 'down' | 'up';
  trigger: string | null;
}

/** Memory in percent at second t, given the category in use (so a scenario can model what a model itself takes). */
type Pressure = (t: number, category: ModelCategory) => number;

function simulate(memoryAt: Pressure, start: ModelCategory = 'medium', seconds = 600): Switch[] {
  const samples: ResourceSample[] = [];
  const switches: Switch[] = [];
  let category = start;
  let lastSwitchAtMs: number | null = null;
  for (let t = 0; t < seconds; t += 1) {
    const nowMs = t * 1000;
    samples.push(sampleWith({ atMs: nowMs, memoryUsedPercent: Math.min(100, Math.max(0, memoryAt(t, category))) }));
    while ((samples[0]?.atMs ?? nowMs) <= nowMs - windowMs) samples.shift();
    const decision = evaluateScaling({
      nowMs,
      samples,
      thresholds,
      generating: false,
      current: { key: `model-${category}`, category },
      lastSwitchAtMs,
    });
    if (decision.action === 'none') continue;
    switches.push({ atMs: nowMs, action: decision.action, trigger: decision.trigger });
    lastSwitchAtMs = nowMs;
    const rank = modelCategories.indexOf(category) + (decision.action === 'up' ? 1 : -1);
    category = modelCategories[Math.min(modelCategories.length - 1, Math.max(0, rank))] ?? category;
  }
  return switches;
}

/** Deterministic noise in [-1, 1] (a fixed LCG), the same on every run. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31) * 2 - 1;
  };
}

function expectCalm(switches: Switch[]) {
  for (let i = 1; i < switches.length; i += 1) {
    const previous = switches[i - 1] as Switch;
    const next = switches[i] as Switch;
    expect(next.atMs - previous.atMs, `switches at ${previous.atMs} and ${next.atMs} ms`).toBeGreaterThanOrEqual(
      cooldownMs,
    );
    // Back up only after two calm minutes. (Down after up needs only the cooldown: pressure that truly returns
    // must be answered, and the oscillating scenarios assert that no up happens at all.)
    if (previous.action === 'down' && next.action === 'up') {
      expect(next.atMs - previous.atMs, `up at ${next.atMs} ms`).toBeGreaterThanOrEqual(upSustainedMs);
    }
  }
  expect(switches.length).toBeLessThanOrEqual(600_000 / cooldownMs);
}

describe('the scaler over 10 simulated minutes at 1 Hz', () => {
  it('7 s above, 7 s below the threshold, repeated: never sustained, no switch', () => {
    const switches = simulate((t) => (Math.floor(t / 7) % 2 === 0 ? 88 : 74));
    expect(switches).toEqual([]);
  });

  it('a 40 s swing of ±8 points around the threshold: downs at most once per cooldown, never up', () => {
    const switches = simulate((t) => 80 + 8 * Math.sin((2 * Math.PI * t) / 40), 'large');
    expect(switches.length).toBeGreaterThan(0);
    expect(switches.every((s) => s.action === 'down')).toBe(true);
    expectCalm(switches);
  });

  it('noise of ±6 points around the threshold: no flapping', () => {
    const next = noise(42);
    const switches = simulate(() => 80 + 6 * next(), 'large');
    expect(switches.every((s) => s.action === 'down')).toBe(true);
    expectCalm(switches);
  });

  it('noise of ±12 points dipping into the band now and then: still never up', () => {
    const next = noise(7);
    const switches = simulate(() => 78 + 12 * next(), 'small');
    expect(switches.filter((s) => s.action === 'up')).toEqual([]);
    expectCalm(switches);
  });

  it('a 5-minute swing from 45 to 95 %: down in the high phase, up only after two calm minutes', () => {
    const switches = simulate((t) => 70 + 25 * Math.sin((2 * Math.PI * t) / 300));
    expect(switches.some((s) => s.action === 'down')).toBe(true);
    // One up per low phase (each reached after 120 s below 65 %), not one per dip below the threshold.
    expect(switches.filter((s) => s.action === 'up').length).toBeLessThanOrEqual(2);
    expectCalm(switches);
  });

  it('a model whose own memory pushes pressure back up after an upgrade does not ping-pong', () => {
    // Other apps hold 50 %; small models add 10 points, medium 22, large 34: large lands at 84 %, above 80 %.
    const share: Record<ModelCategory, number> = { small: 10, medium: 22, large: 34 };
    const switches = simulate((_t, category) => 50 + share[category], 'small');
    expectCalm(switches);
    // small (60 %) is calm → up to medium (72 %, inside the band) and it stays there.
    expect(switches.map((s) => s.action)).toEqual(['up']);
  });

  it('memory climbing steadily is caught by the trend before it crosses, once', () => {
    const switches = simulate((t) => Math.min(79, 40 + 0.2 * t), 'large');
    expect(switches[0]?.trigger).toBe('memory_trend');
    expectCalm(switches);
  });
});
