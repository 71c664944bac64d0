import { describe, expect, it } from 'vitest';
import type { Neighbour } from '../resources/PressureAttribution';
import { sampleWith } from '../resources/testSamples';
import { fastNeighbour, hasReceded, smallestThatFits, type SmallestInputs } from './aside';
import { gib, listing } from './selectModel.fixtures';

const mib = 1024 ** 2;
const nowMs = 1_000_000;

const neighbour = (name: string, grewBytes: number, grewForMs: number): Neighbour => ({
  name,
  grewBytes,
  sinceMs: nowMs - grewForMs,
  cpuPercent: 0,
  processes: [{ pid: 42, startTicks: 7 }],
  residentBytes: grewBytes + 200 * mib,
});

describe('fastNeighbour', () => {
  it.each([
    ['a GiB in 10 s', [neighbour('blender', gib, 10_000)], 'blender'],
    ['16 MiB/s exactly', [neighbour('game', 16 * 60 * mib, 60_000)], 'game'],
    ['a GiB over 10 minutes: a creep', [neighbour('chromium', gib, 600_000)], null],
    [
      'the largest is slow, the next fast',
      [neighbour('code', 2 * gib, 600_000), neighbour('comfyui', gib, 5_000)],
      'comfyui',
    ],
    ['nobody named', [], null],
  ])('%s', (_case, neighbours, expected) => {
    expect(fastNeighbour(neighbours, nowMs)?.name ?? null).toBe(expected);
  });
});

describe('hasReceded', () => {
  const atAside = { residentBytes: 3 * gib, grewBytes: 2 * gib };
  it.each([
    ['exited: nothing left of it', 0, true],
    ['gave back exactly half its growth', 2 * gib, true],
    ['gave back a little', 2.5 * gib, false],
    ['grew further', 3.5 * gib, false],
  ])('%s', (_case, residentNow, expected) => {
    expect(hasReceded(atAside, residentNow)).toBe(expected);
  });
});

describe('smallestThatFits', () => {
  /** 16 GiB at 90 % used: 1.6 GiB available, 2.4 GiB kept as margin, plus what unloading the current gives back. */
  const pressed = (overrides: Partial<SmallestInputs>): SmallestInputs => ({
    catalog: [],
    sample: sampleWith({ memoryUsedPercent: 90 }),
    current: { key: 'big', estimateRamBytes: 4 * gib, estimateVramBytes: 0 },
    avoid: new Map(),
    ...overrides,
  });

  it('takes the smallest that fits with the current one unloaded, not the best', () => {
    const catalog = [
      listing('big', { ramGib: 4, loaded: true, category: 'medium' }),
      listing('medium-ish', { ramGib: 2 }),
      listing('tiny', { ramGib: 0.5 }),
      listing('tiny-twin', { ramGib: 0.5 }),
    ];
    expect(smallestThatFits(pressed({ catalog }))?.key).toBe('tiny');
  });

  it('none where nothing lighter fits even with the current one unloaded', () => {
    const catalog = [listing('big', { ramGib: 2 }), listing('small', { ramGib: 1 })];
    const current = { key: 'big', estimateRamBytes: 2 * gib, estimateVramBytes: 0 };
    expect(smallestThatFits(pressed({ catalog, current, sample: sampleWith({ memoryUsedPercent: 99 }) }))).toBeNull();
  });

  it('leaves out models on a host, models in a failure’s backoff, non-chat and heavier ones', () => {
    const catalog = [
      listing('remote', { ramGib: 0, host: { name: 'studio-pc', needsBytes: gib, freeBytes: 60 * gib } }),
      listing('failing', { ramGib: 0.2 }),
      listing('embedder', { ramGib: 0.3, capabilities: ['embedding'] }),
      listing('heavier', { ramGib: 5 }),
      listing('ok', { ramGib: 1 }),
    ];
    const avoid = new Map([['failing', 'failed to load']]);
    expect(smallestThatFits(pressed({ catalog, avoid }))?.key).toBe('ok');
  });
});
