import { describe, expect, it } from 'vitest';
import { ProcHostSampler } from './hostSampler';

const linux = process.platform === 'linux';

describe.skipIf(!linux)('ProcHostSampler', () => {
  it('reports no CPU use at its first reading, then the machine’s and Mai’s own share of it', () => {
    const sampler = new ProcHostSampler();
    try {
      // A moment after it was made: no interval long enough to measure, so no figure (not a chance 100 %).
      expect(sampler.read().cpu).toMatchObject({ percent: 0, maiPercent: 0 });
      // Mai busy on a core for a third of a second: its share shows, and never above the machine's.
      const until = performance.now() + 330;
      let spins = 0;
      while (performance.now() < until) spins += 1;
      const { cpu } = sampler.read();
      expect(spins).toBeGreaterThan(0);
      expect(cpu.maiPercent).toBeGreaterThan(100 / cpu.cores / 4);
      expect(cpu.maiPercent).toBeLessThanOrEqual(cpu.percent);
    } finally {
      sampler.close();
    }
  });
});
