import { describe, expect, it } from 'vitest';
import { RingBuffer } from './RingBuffer';

describe('RingBuffer', () => {
  it('is empty at first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.size).toBe(0);
    expect(ring.latest()).toBeUndefined();
    expect(ring.toArray()).toEqual([]);
  });

  it('keeps the newest capacity items, oldest first, across several wraparounds', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 10; i += 1) {
      ring.push(i);
      expect(ring.latest()).toBe(i);
      const oldest = Math.max(1, i - 2);
      expect(ring.toArray()).toEqual(Array.from({ length: i - oldest + 1 }, (_, k) => oldest + k));
    }
    expect(ring.size).toBe(3);
  });

  it('works at capacity 1', () => {
    const ring = new RingBuffer<string>(1);
    ring.push('a');
    ring.push('b');
    expect(ring.toArray()).toEqual(['b']);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %s', (capacity) => {
    expect(() => new RingBuffer(capacity)).toThrow(RangeError);
  });
});
