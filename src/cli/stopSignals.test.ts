import { afterEach, describe, expect, it, vi } from 'vitest';
import { onStopSignals } from './stopSignals';

describe('onStopSignals', () => {
  afterEach(() => vi.restoreAllMocks());

  it('stops at the first signal and stays listening, so no other listener is left alone with it', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const before = process.listenerCount('SIGTERM');
    const stops: string[] = [];
    const off = onStopSignals(['SIGINT', 'SIGTERM'], (signal) => stops.push(signal));
    process.emit('SIGTERM', 'SIGTERM');
    expect(stops).toEqual(['SIGTERM']);
    // signal-exit re-raises a signal when its listener is the last one: ours must still be there after the first.
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(kill).not.toHaveBeenCalled();
    off();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('ends the process at a repeat, as the signal would by default', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const before = process.listenerCount('SIGINT');
    const onStop = vi.fn();
    onStopSignals(['SIGINT'], onStop);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(onStop).toHaveBeenCalledTimes(1);
    expect(process.listenerCount('SIGINT')).toBe(before);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGINT');
  });
});
