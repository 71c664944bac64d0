import { describe, expect, it } from 'vitest';
import { sampleWith } from './resources/testSamples';
import { moodOf, personalityLine } from './personality';

const thresholds = { memoryPercent: 80, cpuPercent: 85 };

describe('the status line and its mood', () => {
  it.each([
    [
      'Mai generating on every core, nothing else',
      { cpuPercent: 100, maiCpuPercent: 99, memoryUsedPercent: 30 },
      'relaxed',
      'Relaxed with m: plenty of room (RAM 30%, CPU 1% from other programs, 99% mine).',
    ],
    [
      'another program on every core',
      { cpuPercent: 100, maiCpuPercent: 2, memoryUsedPercent: 30 },
      'strained',
      'Strained with m: over my limits (RAM 30%, CPU 98% from other programs, 2% mine); I will switch to a lighter model if it lasts.',
    ],
    [
      'memory over its threshold, whoever holds it',
      { cpuPercent: 5, maiCpuPercent: 0.4, memoryUsedPercent: 91 },
      'strained',
      'Strained with m: over my limits (RAM 91%, CPU 5% from other programs); I will switch to a lighter model if it lasts.',
    ],
    [
      'a sampler that does not measure Mai',
      { cpuPercent: 90, memoryUsedPercent: 30 },
      'strained',
      'Strained with m: over my limits (RAM 30%, CPU 90%); I will switch to a lighter model if it lasts.',
    ],
    [
      'the first sample, before any CPU interval',
      { cpuPercent: 0, maiCpuPercent: 0, memoryUsedPercent: 30 },
      'relaxed',
      'Relaxed with m: plenty of room (RAM 30%, CPU 0% from other programs).',
    ],
  ])('%s: %s', (_case, figures, mood, line) => {
    const sample = sampleWith(figures);
    expect(moodOf(sample, thresholds)).toBe(mood);
    expect(personalityLine(sample, thresholds, 'm')).toBe(line);
  });

  it('names the cause of pressure when Mai knows it', () => {
    const sample = sampleWith({ memoryUsedPercent: 91, cpuPercent: 5, maiCpuPercent: 1 });
    expect(personalityLine(sample, thresholds, null, 'chromium +2.8 GiB in 2 min')).toBe(
      'Strained: over my limits (RAM 91%, CPU 4% from other programs, 1% mine; chromium +2.8 GiB in 2 min); I will switch to a lighter model if it lasts.',
    );
  });
});
