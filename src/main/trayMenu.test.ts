import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../shared/contract';
import { buildTrayMenu, resourceSummary } from './trayMenu';

function sample(overrides: Partial<ResourceSample> = {}): ResourceSample {
  return {
    atMs: 0,
    cpu: { percent: 23.4, cores: 8 },
    memory: { totalBytes: 16e9, availableBytes: 6.9e9, usedPercent: 56.9, maiBytes: 1e8 },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus: [],
    ...overrides,
  };
}

const gpu = {
  index: 0,
  name: 'RTX 4060',
  vendor: 'nvidia' as const,
  vramTotalBytes: 8e9,
  vramUsedBytes: 3.2e9,
  vramFreeBytes: 4.8e9,
  utilizationPercent: 10,
  temperatureC: 50,
};

describe('resourceSummary', () => {
  it.each([
    [null, 'Measuring…'],
    [sample(), 'CPU 23% · RAM 9.1/16.0 GB'],
    [sample({ gpus: [gpu] }), 'CPU 23% · RAM 9.1/16.0 GB · VRAM 3.2/8.0 GB'],
    [sample({ gpus: [gpu, { ...gpu, index: 1 }] }), 'CPU 23% · RAM 9.1/16.0 GB · VRAM 6.4/16.0 GB'],
  ])('%#', (input, expected) => {
    expect(resourceSummary(input)).toBe(expected);
  });
});

describe('buildTrayMenu', () => {
  it('shows the version and the live summary, then the actions', () => {
    const menu = buildTrayMenu({ version: '1.2.3', sample: sample() });
    expect(menu[0]).toMatchObject({ label: 'Mai 1.2.3', enabled: false });
    expect(menu[1]).toMatchObject({ label: 'CPU 23% · RAM 9.1/16.0 GB', enabled: false });
    const actions = menu.flatMap((item) => (item.type === 'normal' && item.action ? [item.action] : []));
    expect(actions).toEqual(['open-dashboard', 'quit']);
  });
});
