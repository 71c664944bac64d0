import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from '../ModelBackend';
import { watchForStall } from './stallWatch';

describe('watchForStall', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const start = () => {
    const stalls: { silentMs: number; fragmentsSeen: boolean }[] = [];
    let onStallCalls = 0;
    const watch = watchForStall(
      { firstFragmentTimeoutMs: 8_000, fragmentStallTimeoutMs: 5_000 },
      (silentMs, fragmentsSeen) => {
        stalls.push({ silentMs, fragmentsSeen });
        return new BackendError('stalled', 'frozen', 'lmstudio');
      },
      () => (onStallCalls += 1),
    );
    return { watch, stalls, onStalls: () => onStallCalls };
  };

  it('gives prompt processing the first deadline, re-armed by each progress report', async () => {
    const { watch, stalls } = start();
    vi.advanceTimersByTime(7_000);
    watch.progress();
    vi.advanceTimersByTime(7_000);
    expect(stalls).toEqual([]);
    vi.advanceTimersByTime(1_000);
    await expect(watch.stalled).rejects.toMatchObject({ code: 'stalled' });
    expect(stalls).toEqual([{ silentMs: 8_000, fragmentsSeen: false }]);
  });

  it('holds the stream to the shorter deadline once text flows, and calls onStall once', async () => {
    const { watch, stalls, onStalls } = start();
    watch.fragment();
    vi.advanceTimersByTime(4_999);
    watch.fragment();
    // Prompt progress no longer counts once the answer streams.
    watch.progress();
    vi.advanceTimersByTime(5_000);
    await expect(watch.stalled).rejects.toThrow('frozen');
    expect(stalls).toEqual([{ silentMs: 5_000, fragmentsSeen: true }]);
    expect(onStalls()).toBe(1);
  });

  it('never fires once cleared', () => {
    const { watch, stalls } = start();
    watch.clear();
    vi.advanceTimersByTime(60_000);
    expect(stalls).toEqual([]);
  });
});
