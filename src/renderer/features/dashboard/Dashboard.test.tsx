import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceSample } from '../../../shared/contract';
import { useResources } from '../../store';
import { Dashboard } from './Dashboard';
import { formatBytes } from '../../../shared/format';
import { ApiContext } from '../../apiContext';
import { fakeApi, resetStores } from '../../testing/fakeApi';

function renderDashboard() {
  return render(
    <ApiContext.Provider value={fakeApi().api}>
      <Dashboard />
    </ApiContext.Provider>,
  );
}

const gib = 1024 ** 3;
const sample: ResourceSample = {
  atMs: 1,
  cpu: { percent: 37.6, cores: 4 },
  memory: { totalBytes: 16 * gib, availableBytes: 10 * gib, usedPercent: 37.5, maiBytes: 200 * 1024 ** 2 },
  swap: { totalBytes: 0, usedBytes: 0 },
  gpus: [
    {
      index: 0,
      name: 'RTX 4060',
      vendor: 'nvidia',
      vramTotalBytes: 8 * gib,
      vramUsedBytes: 2 * gib,
      vramFreeBytes: 6 * gib,
      utilizationPercent: 5,
      temperatureC: 40,
    },
  ],
};

afterEach(() => {
  cleanup();
  resetStores();
});

describe('Dashboard', () => {
  it('waits for the first sample', () => {
    renderDashboard();
    expect(screen.getByText('Waiting for the first sample…')).toBeTruthy();
  });

  it('shows the figures of the latest sample', () => {
    useResources.getState().addSample(sample);
    renderDashboard();
    expect(screen.getByTestId('memory-total').textContent).toBe('16.0 GiB');
    expect(screen.getByTestId('memory-total').getAttribute('data-bytes')).toBe(String(16 * gib));
    expect(screen.getByTestId('gauge-cpu-percent').textContent).toBe('38%');
    expect(screen.getByTestId('gauge-ram-percent').textContent).toBe('38%');
    expect(screen.getByTestId('gauge-vram-0-percent').textContent).toBe('25%');
    expect(screen.getByTestId('memory-mai').textContent).toBe('200.0 MiB');
  });

  it("splits the CPU and the memory into Mai's part, its model's and other programs'", () => {
    useResources.getState().addSample({
      ...sample,
      cpu: { percent: 90, cores: 4, maiPercent: 72.4 },
      memory: { ...sample.memory, maiBytes: 2 * gib, modelBytes: 1.5 * gib, modelIn: 'mai' },
    });
    renderDashboard();
    expect(screen.getByTestId('gauge-cpu').querySelector('.gauge-detail')?.textContent).toBe(
      'Mai 72 % · other programs 18 %',
    );
    // 6 GiB used: the embedded model's 1.5 GiB out of Mai's 2 GiB, the rest other programs'.
    const bytesOf = (key: string) => Number(screen.getByTestId(`split-${key}`).getAttribute('data-bytes')) / gib;
    expect(['model', 'mai', 'other', 'free'].map(bytesOf)).toEqual([1.5, 0.5, 4, 10]);
  });

  it('says so when there is no GPU', () => {
    useResources.getState().addSample({ ...sample, gpus: [] });
    renderDashboard();
    expect(screen.getByTestId('gpu-count').textContent).toBe('none detected');
    expect(screen.queryByTestId('gauge-vram-0')).toBeNull();
  });

  it('draws five-minute sparklines that grow with each sample', () => {
    useResources.getState().addSample(sample);
    useResources.getState().addSample({ ...sample, atMs: 2, cpu: { ...sample.cpu, percent: 80 } });
    renderDashboard();
    const cpu = screen.getByTestId('gauge-cpu-sparkline');
    expect(cpu.getAttribute('data-points')).toBe('2');
    expect(cpu.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(2);
    expect(screen.getByTestId('gauge-vram-0-sparkline').getAttribute('data-points')).toBe('2');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '2 KiB'],
    [5 * 1024 ** 2, '5.0 MiB'],
    [1.25 * gib, '1.3 GiB'],
    [2 * 1024 ** 4, '2.0 TiB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
