import { describe, expect, it } from 'vitest';
import { formatParameterCount, parseParamsString } from './parameterCount';

describe('parameter counts', () => {
  it.each([
    [292_800, '293K'],
    [494_032_768, '494M'],
    [1_543_714_304, '1.5B'],
    [7_000_000_000, '7B'],
    [13_015_864_320, '13B'],
    [null, null],
    [0, null],
  ])('formats %s as %s', (count, text) => expect(formatParameterCount(count)).toBe(text));

  it.each([
    ['7B', 7e9],
    ['0.5B', 5e8],
    ['8x7B', 56e9],
    ['260K', 260e3],
    ['494m', 494e6],
    ['big', null],
    [null, null],
  ])('reads %s as %s', (text, count) => expect(parseParamsString(text)).toBe(count));
});
