import { describe, expect, it } from 'vitest';
import { slowness, StruggleWatch, type Struggle } from './struggle';

/** Fragment times at `perSecond` from `fromMs` to `toMs`. */
const stream = (fromMs: number, toMs: number, perSecond: number) =>
  Array.from({ length: Math.floor(((toMs - fromMs) / 1000) * perSecond) }, (_, i) => fromMs + (i * 1000) / perSecond);

describe('slowness', () => {
  const usual = 40;
  it.each([
    [
      'far below the usual speed for a whole window',
      stream(0, 10_000, 40)
        .filter((t) => t < 4000)
        .concat(stream(4000, 10_000, 5)),
      10_000,
      true,
    ],
    ['no fragment at all for the window', stream(0, 3000, 40), 10_000, true],
    ['at a third of the usual speed (above a quarter)', stream(0, 10_000, 14), 10_000, false],
    ['at the usual speed', stream(0, 10_000, 40), 10_000, false],
    ['slow, but for less than a window since the first fragment', stream(0, 4000, 2), 4000, false],
  ])('%s → slow: %s', (_case, times, nowMs, slow) => {
    const verdict = slowness({
      firstFragmentMs: times[0] ?? null,
      fragmentTimesMs: times,
      nowMs,
      usualTokensPerSecond: usual,
    });
    expect(verdict !== null).toBe(slow);
  });

  it('has no verdict before the first fragment or for a model never measured', () => {
    expect(
      slowness({ firstFragmentMs: null, fragmentTimesMs: [], nowMs: 60_000, usualTokensPerSecond: 40 }),
    ).toBeNull();
    const times = stream(0, 1000, 10);
    expect(
      slowness({ firstFragmentMs: 0, fragmentTimesMs: times, nowMs: 60_000, usualTokensPerSecond: null }),
    ).toBeNull();
  });

  it('says how slow, against what', () => {
    const times = stream(0, 6000, 2);
    expect(
      slowness({ firstFragmentMs: 0, fragmentTimesMs: times, nowMs: 6000, usualTokensPerSecond: 40 })?.reason,
    ).toBe('it slowed to 1.8 tokens/s for 5 s, 5 % of its usual 40.0');
  });
});

describe('StruggleWatch', () => {
  const clockAt = (ms: { now: number }) => ({ nowMs: () => ms.now, monotonicMs: () => ms.now });

  it('reports a loop at the fragment that completes its third copy, once', () => {
    const time = { now: 0 };
    const seen: Struggle[] = [];
    const watch = new StruggleWatch({
      clock: clockAt(time),
      usualTokensPerSecond: null,
      onStruggle: (s) => seen.push(s),
    });
    const words = 'Hello. ' + 'The dog ran to the park again. '.repeat(4);
    for (const word of words.match(/\S+\s*/g) ?? []) watch.fragment(word);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      kind: 'repetition',
      reason: expect.stringContaining('"The dog ran to the park again." 3 times'),
    });
  });

  it('reports a model that stops writing, on the check after a window of silence', () => {
    const time = { now: 0 };
    const seen: Struggle[] = [];
    const watch = new StruggleWatch({
      clock: clockAt(time),
      usualTokensPerSecond: 50,
      onStruggle: (s) => seen.push(s),
    });
    for (; time.now < 2000; time.now += 20) watch.fragment('x ');
    // Two seconds at 50 tokens/s, then nothing: the last five seconds average 20, then 10 tokens/s.
    for (; time.now <= 5000; time.now += 1000) watch.check();
    expect(seen).toEqual([]);
    for (; time.now <= 8000; time.now += 1000) watch.check();
    expect(seen).toMatchObject([{ kind: 'slow', tokensPerSecond: 9.8 }]);
  });
});
