import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceSample, Status } from '../../../shared/contract';
import { ApiContext } from '../../apiContext';
import { useResources } from '../../store';
import { fakeApi, resetStores } from '../../testing/fakeApi';
import { Dashboard } from './Dashboard';
import { memorySplit } from './memorySplit';

const gib = 1024 ** 3;
const mib = 1024 ** 2;

/** A machine with two GPUs (there is none here: the samples are made up, as a GPU sampler would report them). */
function sample(atMs: number, overrides: Partial<ResourceSample> = {}): ResourceSample {
  return {
    atMs,
    cpu: { percent: 30, cores: 8 },
    memory: { totalBytes: 16 * gib, availableBytes: 6 * gib, usedPercent: 62.5, maiBytes: 2 * gib },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus: [
      {
        index: 0,
        name: 'RTX 4090',
        vendor: 'nvidia',
        vramTotalBytes: 24 * gib,
        vramUsedBytes: 18 * gib,
        vramFreeBytes: 6 * gib,
        utilizationPercent: 87,
        temperatureC: 71.4,
      },
      {
        index: 1,
        name: 'Radeon 780M',
        vendor: 'amd',
        vramTotalBytes: 2 * gib,
        vramUsedBytes: 512 * mib,
        vramFreeBytes: 1.5 * gib,
        utilizationPercent: null,
        temperatureC: null,
      },
    ],
    ...overrides,
  };
}

afterEach(() => {
  cleanup();
  resetStores();
});

function renderWith(samples: ResourceSample[], thresholds = { memoryPercent: 85, cpuPercent: 90 }) {
  for (const s of samples) useResources.getState().addSample(s);
  useResources.setState({ status: { scalingThresholds: thresholds } as Status });
  render(
    <ApiContext.Provider value={fakeApi().api}>
      <Dashboard />
    </ApiContext.Provider>,
  );
}

describe('Dashboard: GPUs, the memory split and thresholds', () => {
  it('shows a gauge per GPU: VRAM used of total, utilisation and temperature, n/a where not reported', () => {
    renderWith([sample(1000)]);
    expect(screen.getByTestId('gauge-vram-0-percent').textContent).toBe('75%');
    expect(screen.getByTestId('gauge-vram-0-detail').textContent).toBe('VRAM 18.0 GiB of 24.0 GiB');
    expect(screen.getByTestId('gpu-0-utilization').textContent).toBe('87%');
    expect(screen.getByTestId('gpu-0-temperature').textContent).toBe('71 °C');
    expect(screen.getByTestId('gpu-0-busy-meter').getAttribute('aria-valuenow')).toBe('87');
    expect(screen.getByTestId('gauge-vram-1-percent').textContent).toBe('25%');
    expect(screen.getByTestId('gpu-1-utilization').textContent).toBe('n/a');
    expect(screen.getByTestId('gpu-1-temperature').textContent).toBe('n/a');
    expect(screen.queryByTestId('gpu-1-busy-meter')).toBeNull();
  });

  it('splits memory into Mai, other programs and free, adding up to the total', () => {
    renderWith([sample(1000)]);
    const bytes = (key: string) => Number(screen.getByTestId(`split-${key}`).getAttribute('data-bytes'));
    expect([bytes('mai'), bytes('other'), bytes('free')]).toEqual([2 * gib, 8 * gib, 6 * gib]);
    expect(screen.getByTestId('split-other').style.width).toBe('50%');
    expect(screen.queryByTestId('split-model')).toBeNull();
  });

  it('draws the tier’s thresholds on the CPU and RAM sparklines, placed by time', () => {
    renderWith([sample(0), sample(150_000), sample(300_000)], { memoryPercent: 80, cpuPercent: 90 });
    const ram = screen.getByTestId('gauge-ram-sparkline-threshold');
    expect(ram.getAttribute('data-percent')).toBe('80');
    // 80% of a 40-unit-high box is 8 units from the top.
    expect(ram.getAttribute('y1')).toBe('8');
    expect(screen.getByTestId('gauge-cpu-sparkline-threshold').getAttribute('data-percent')).toBe('90');
    expect(screen.queryByTestId('gauge-vram-0-sparkline-threshold')).toBeNull();
    // Five minutes across 300 units: the oldest at the left edge, one half-way, the newest at the right.
    const xs = screen
      .getByTestId('gauge-cpu-sparkline')
      .querySelector('polyline')
      ?.getAttribute('points')
      ?.split(' ')
      .map((point) => point.split(',')[0]);
    expect(xs).toEqual(['0.0', '150.0', '300.0']);
  });
});

describe('memorySplit', () => {
  const figures = { totalBytes: 16 * gib, availableBytes: 6 * gib, maiBytes: 2 * gib };

  it('carves a model figure out of Mai (embedded) or out of other programs (LM Studio) when one is given', () => {
    expect(
      memorySplit({ ...figures, modelBytes: 1.5 * gib, modelIn: 'mai' }).map((s) => [s.key, s.bytes / gib]),
    ).toEqual([
      ['model', 1.5],
      ['mai', 0.5],
      ['other', 8],
      ['free', 6],
    ]);
    expect(memorySplit({ ...figures, modelBytes: 4 * gib, modelIn: 'other' }).map((s) => s.bytes / gib)).toEqual([
      4, 2, 4, 6,
    ]);
  });

  it('never goes below zero when the figures disagree', () => {
    const split = memorySplit({ totalBytes: 8 * gib, availableBytes: 7 * gib, maiBytes: 3 * gib, modelBytes: 5 * gib });
    expect(split.map((s) => s.bytes / gib)).toEqual([1, 0, 0, 7]);
    expect(split.reduce((sum, s) => sum + s.bytes, 0)).toBe(8 * gib);
  });
});
