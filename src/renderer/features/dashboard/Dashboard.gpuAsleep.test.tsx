import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpuSample } from '../../../shared/contract';
import { GpuGauge } from './GpuGauge';

const gib = 1024 ** 3;

/** A laptop's dGPU as the samplers report it while the kernel keeps it runtime-suspended. */
const sleeping: GpuSample = {
  index: 0,
  name: 'RTX 4060 Laptop GPU',
  vendor: 'nvidia',
  vramTotalBytes: 8 * gib,
  vramUsedBytes: 0,
  vramFreeBytes: 8 * gib,
  utilizationPercent: null,
  temperatureC: null,
  asleep: true,
  stale: true,
};

afterEach(cleanup);

describe('GpuGauge for a sleeping GPU', () => {
  it('says the card is asleep, and says nothing of the kind for an awake one', () => {
    const { rerender } = render(<GpuGauge gpu={sleeping} history={[]} />);
    expect(screen.getByTestId('gpu-0-asleep').textContent).toBe('asleep');
    expect(screen.getByTestId('gauge-vram-0').getAttribute('data-asleep')).toBe('true');
    expect(screen.getByTestId('gpu-0-utilization').textContent).toBe('n/a');

    const { asleep: _asleep, stale: _stale, ...awake } = sleeping;
    rerender(<GpuGauge gpu={{ ...awake, utilizationPercent: 12 }} history={[]} />);
    expect(screen.queryByTestId('gpu-0-asleep')).toBeNull();
    expect(screen.getByTestId('gauge-vram-0').getAttribute('data-asleep')).toBeNull();
  });
});
