import { describe, expect, it, vi } from 'vitest';
import { SerialQueue } from './serialQueue';

describe('SerialQueue', () => {
  it('runs tasks one at a time in order, surviving a failure', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    // Each task holds until its gate opens, so a queue that let two run at once would show interleaved events.
    const gates = new Map<string, () => void>();
    const task = (name: string, fail = false) =>
      queue.run(async () => {
        events.push(`${name} start`);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        events.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      });
    const settled = Promise.allSettled([task('a'), task('b', true), task('c')]);
    for (const name of ['a', 'b', 'c']) {
      await vi.waitFor(() => expect(gates.has(name)).toBe(true));
      expect(events.at(-1)).toBe(`${name} start`);
      gates.get(name)?.();
    }
    const results = await settled;
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    await queue.drain();
  });
});
