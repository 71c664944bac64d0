import { describe, expect, it } from 'vitest';
import { repeatedTail } from './repetition';

const loop = 'The dog ran to the park again. ';

describe('repeatedTail', () => {
  it.each([
    ['a sentence said three times', `Hello there. ${loop}${loop}${loop}`, loop],
    [
      'the same, ending mid-way through a fourth',
      `Hello there. ${loop}${loop}${loop}${loop.slice(0, 8)}`,
      `${loop.slice(8)}${loop.slice(0, 8)}`,
    ],
    ['a phrase inside a longer loop of it', `x ${'red fox jumps '.repeat(3)}`, 'red fox jumps '],
    ['a phrase whose loop ends in a repeated letter', 'one two three aaa '.repeat(3), 'one two three aaa '],
  ])('finds %s', (_case, text, span) => {
    expect(repeatedTail(text)?.span).toBe(span);
  });

  it.each([
    ['a sentence said twice (a refrain)', `Hello there. ${loop}${loop}`],
    ['a table of zeros', `| a | b |\n${'| 0 | 0 |\n'.repeat(5)}`],
    ['laughter', 'ha '.repeat(20)],
    ['a row of dashes', '-'.repeat(80)],
    ['an answer with no repeats', 'Once upon a time there was a fox who liked to run in the snow.'],
    ['three copies with a different one between', `${loop}${loop}Then it slept. ${loop}`],
  ])('leaves alone %s', (_case, text) => {
    expect(repeatedTail(text)).toBeNull();
  });

  it('keeps everything before the loop and the span once, however many copies there were', () => {
    const text = `Hello there. ${loop.repeat(5)}`;
    const found = repeatedTail(text);
    expect(text.slice(0, found?.keepChars)).toBe(`Hello there. ${loop}`);
  });

  it('looks no further back than its longest span', () => {
    const long = `${Array.from({ length: 120 }, (_, i) => `w${i}`).join(' ')}. `;
    expect(long.length).toBeGreaterThan(400);
    expect(repeatedTail(long.repeat(3))).toBeNull();
    expect(repeatedTail(long.repeat(3), { repeats: 3, maxSpanChars: 1000, minDistinctWords: 3 })?.span).toBe(long);
  });
});
