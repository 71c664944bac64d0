import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuPercentBetween, parseMemInfo, parseProcStat } from './procParsers';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseProcStat (recorded /proc/stat)', () => {
  it('reads a current kernel: busy counts user nice system irq softirq steal; idle and iowait are not busy', () => {
    // cpu  28032 19 8301 204973 672 0 180 63 0 0
    expect(parseProcStat(fixture('stat-linux-6.18.txt'))).toEqual({
      busy: 28032 + 19 + 8301 + 0 + 180 + 63,
      total: 28032 + 19 + 8301 + 0 + 180 + 63 + 204973 + 672,
    });
  });

  it('reads a 2.6.18 kernel (8 fields, no guest columns)', () => {
    expect(parseProcStat(fixture('stat-linux-2.6.18.txt'))).toEqual({
      busy: 2255 + 34 + 2290 + 127 + 456,
      total: 2255 + 34 + 2290 + 127 + 456 + 22625563 + 6290,
    });
  });

  it('reads a 2.4 kernel (4 fields)', () => {
    expect(parseProcStat(fixture('stat-linux-2.4.txt'))).toEqual({ busy: 1212 + 454, total: 1212 + 454 + 88210 });
  });

  it.each([
    ['no aggregate line', 'cpu0 1 2 3 4\nctxt 5\n'],
    ['too few fields', 'cpu  1 2 3\n'],
    ['a non-number', 'cpu  1 2 x 4 5 6 7 8\n'],
    ['an empty file', ''],
  ])('throws on %s, naming the file', (_what, text) => {
    expect(() => parseProcStat(text)).toThrow(/\/proc\/stat/);
  });
});

describe('cpuPercentBetween', () => {
  it('is the busy share of the elapsed jiffies', () => {
    expect(cpuPercentBetween({ busy: 100, total: 1000 }, { busy: 150, total: 1200 })).toBe(25);
  });

  it('is 0 when no time passed (two reads in the same jiffy) or the counters went backwards', () => {
    expect(cpuPercentBetween({ busy: 5, total: 10 }, { busy: 5, total: 10 })).toBe(0);
    expect(cpuPercentBetween({ busy: 5, total: 10 }, { busy: 1, total: 2 })).toBe(0);
  });

  it('stays within [0, 100]', () => {
    expect(cpuPercentBetween({ busy: 0, total: 0 }, { busy: 20, total: 10 })).toBe(100);
    expect(cpuPercentBetween({ busy: 10, total: 0 }, { busy: 0, total: 10 })).toBe(0);
  });
});

describe('parseMemInfo (recorded /proc/meminfo)', () => {
  it('reads a current kernel: kB are KiB, "available" is MemAvailable', () => {
    expect(parseMemInfo(fixture('meminfo-linux-6.18.txt'))).toEqual({
      totalBytes: 24684092 * 1024,
      availableBytes: 23553792 * 1024,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    });
  });

  it('approximates available on kernels before 3.14 (no MemAvailable) as free + buffers + cached', () => {
    expect(parseMemInfo(fixture('meminfo-linux-2.6.32.txt'))).toEqual({
      totalBytes: 8061276 * 1024,
      availableBytes: (262588 + 187640 + 5642368) * 1024,
      swapTotalBytes: 4194296 * 1024,
      swapFreeBytes: 4080128 * 1024,
    });
  });

  it('ignores lines it cannot read and keeps the rest', () => {
    const text = 'MemTotal:  1000 kB\ngarbage line\nMemAvailable: lots kB\nMemFree: 200 kB\n: 5 kB\n';
    expect(parseMemInfo(text)).toMatchObject({ totalBytes: 1000 * 1024, availableBytes: 200 * 1024 });
  });

  it('throws without MemTotal', () => {
    expect(() => parseMemInfo('MemFree: 200 kB\n')).toThrow(/MemTotal/);
    expect(() => parseMemInfo('')).toThrow(/MemTotal/);
  });
});
