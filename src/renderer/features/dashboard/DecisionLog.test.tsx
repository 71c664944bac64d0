import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Decision, Status } from '../../../shared/contract';
import { refreshStatus } from '../../actions';
import { connectStores } from '../../connect';
import { useResources } from '../../store';
import { fakeApi, okResult, resetStores } from '../../testing/fakeApi';
import { describeSwitch } from '../chat/SwitchMarker';
import { DecisionLog } from './DecisionLog';

afterEach(() => {
  cleanup();
  resetStores();
});

const chosen: Decision = {
  id: 'd1',
  kind: 'selection',
  atMs: 1000,
  from: null,
  to: 'llama-2-tiny-random',
  trigger: 'selection',
  reason: 'the best that fits',
  figures: {},
};
const switched: Decision = {
  id: 'd2',
  kind: 'switch',
  atMs: 2000,
  from: 'llama-2-tiny-random',
  to: 'stories260K',
  trigger: 'sustained_memory',
  reason: 'memory above 85% for 30 s',
  figures: { memoryPercent: 88 },
};

describe('DecisionLog', () => {
  it('lists status.decisions and live model.decision events, newest first, once each', async () => {
    const fake = fakeApi({
      'status.get': () =>
        okResult({ decisions: [chosen], model: { current: null, mode: 'auto', pinnedKey: null, reason: '' } } as never),
    });
    // Only the fields this test reads; the contract's parse is api.ts's job, not under test here.
    useResources.setState({ status: null as Status | null });
    await refreshStatus(fake.api);
    connectStores(fake.api);
    render(<DecisionLog />);
    act(() => fake.emit('model.decision', switched));
    act(() => fake.emit('model.decision', switched));
    const rows = screen.getAllByTestId('decision').map((row) => row.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('memory');
    expect(rows[0]).toContain('Mai switched from llama-2-tiny-random to stories260K — memory above 85% for 30 s');
    expect(rows[1]).toContain('Mai chose llama-2-tiny-random — the best that fits');
  });

  it('says when there are none', () => {
    render(<DecisionLog />);
    expect(screen.getByText('No model decisions yet.')).toBeTruthy();
  });
});

describe('describeSwitch', () => {
  const base: Decision = {
    id: 'd',
    atMs: 0,
    kind: 'switch',
    from: 'a',
    to: 'b',
    trigger: 'sustained_cpu',
    reason: '',
    figures: {},
  };
  const manual = { trigger: 'manual' as const };
  it.each([
    [base, 'Mai switched from a to b'],
    [{ ...base, kind: 'selection' as const, from: null, trigger: 'selection' as const }, 'Mai chose b'],
    [{ ...base, kind: 'failure' as const, to: null, trigger: 'failure' as const }, 'a failed'],
    [{ ...base, ...manual, kind: 'pin' as const }, 'Pinned b'],
    // Pinning the model already loaded names it twice; it is still a pin (it read "Automatic choice again").
    [{ ...base, ...manual, kind: 'pin' as const, from: 'b' }, 'Pinned b'],
    [{ ...base, ...manual, kind: 'automatic' as const, to: 'a', from: 'a' }, 'Automatic choice again'],
    // A relief step keeps the model: a smaller window or a coarser KV cache, not a switch.
    [{ ...base, kind: 'step' as const, from: 'b', trigger: 'sustained_memory' as const }, 'Mai adjusted b'],
    // Stepping aside for another program: to the smallest model, or none at all.
    [{ ...base, kind: 'aside' as const, trigger: 'sustained_memory' as const }, 'Mai stepped aside to b'],
    [
      { ...base, kind: 'aside' as const, to: null, trigger: 'sustained_memory' as const },
      'Mai stepped aside: unloaded a',
    ],
  ])('%#', (decision, text) => {
    expect(describeSwitch(decision)).toBe(text);
  });
});
