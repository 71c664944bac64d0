import { describe, expect, it } from 'vitest';
import { truncateStart, truncationMarker } from './truncateStart';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('truncateStart', () => {
  it('returns the text unchanged when it fits', async () => {
    expect(await truncateStart('a b c', 3, words)).toEqual({ text: 'a b c', tokens: 3, removedChars: 0 });
  });

  it('keeps the longest end that fits, starting on a whole word, marked', async () => {
    const text = 'one two three four five six seven';
    const result = await truncateStart(text, 4, words);
    expect(result).toEqual({ text: `${truncationMarker}five six seven`, tokens: 4, removedChars: 19 });
  });

  it('uses few counts: a binary search over where to cut', async () => {
    let calls = 0;
    const text = 'word '.repeat(20_000);
    const result = await truncateStart(text, 100, (value) => {
      calls += 1;
      return words(value);
    });
    expect(result.tokens).toBeLessThanOrEqual(100);
    expect(calls).toBeLessThan(25);
  });

  it('cuts inside a long unbroken run when it must, but never through an emoji', async () => {
    const chars = (value: string) => [...value].length; // one token a code point
    const result = await truncateStart('🌙'.repeat(50), 11, chars);
    expect(result.text).toBe(truncationMarker + '🌙'.repeat(7));
    expect(result.tokens).toBeLessThanOrEqual(11);
  });

  it('is empty when not even the marker fits', async () => {
    expect(await truncateStart('a b c d', 0, words)).toEqual({ text: '', tokens: 0, removedChars: 7 });
  });
});
