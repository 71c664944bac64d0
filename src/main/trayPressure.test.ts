import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moodOf } from '../brain/personality';
import type { ResourceSample } from '../shared/contract';
import { trayIconFile, trayPressure } from './trayPressure';

/** mid_range's thresholds in config/resource_tiers.yaml. */
const thresholds = { memoryPercent: 80, cpuPercent: 85 };

function sample(memoryUsedPercent: number, cpuPercent = 10): ResourceSample {
  return {
    atMs: 0,
    cpu: { percent: cpuPercent, cores: 4 },
    memory: {
      totalBytes: 8e9,
      availableBytes: 8e9 * (1 - memoryUsedPercent / 100),
      usedPercent: memoryUsedPercent,
      maiBytes: 1e8,
    },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus: [],
  };
}

describe('trayPressure', () => {
  // The brain's own mood (status.mood is moodOf), so a change in where its lines lie shows up here.
  it.each([
    [30, 10, 'calm'], // relaxed: half the threshold or less
    [55, 10, 'calm'], // comfortable
    [70, 10, 'strained'], // stretched: within 15 points of the memory threshold
    [30, 75, 'strained'], // stretched on CPU
    [80, 10, 'over'], // strained: at the threshold
    [95, 10, 'over'],
    [30, 99, 'over'],
  ] as const)('memory %d %%, CPU %d %% → %s', (memory, cpu, expected) => {
    expect(trayPressure(moodOf(sample(memory, cpu), thresholds))).toBe(expected);
  });

  it('is calm before the first status', () => {
    expect(trayPressure(null)).toBe('calm');
  });

  it.each(['calm', 'strained', 'over'] as const)(
    'has a %s icon drawn by make-icons.py, at 16 px and 32 px (@2x)',
    (pressure) => {
      const file = path.join(import.meta.dirname, '../../resources', trayIconFile(pressure));
      const size = (png: string) => readFileSync(png).readUInt32BE(16);
      expect(size(file)).toBe(16);
      expect(size(file.replace(/\.png$/, '@2x.png'))).toBe(32);
    },
  );
});
