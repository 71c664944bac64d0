import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../shared/contract';
import { historyLength, useResources } from './store';

describe('resources store', () => {
  it('keeps the latest sample and at most five minutes of history', () => {
    const base = useResources.getState().latest;
    expect(base).toBeNull();
    for (let i = 0; i < historyLength + 20; i += 1) {
      useResources.getState().addSample({ atMs: i } as ResourceSample);
    }
    const { history, latest } = useResources.getState();
    expect(history).toHaveLength(historyLength);
    expect(history[0]?.atMs).toBe(20);
    expect(latest?.atMs).toBe(historyLength + 19);
  });
});
