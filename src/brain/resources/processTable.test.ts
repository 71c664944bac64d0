import { describe, expect, it } from 'vitest';
import { ScriptedProcTable } from '../../../test/proc/scriptedProcTable';
import { parseProcessStat, ProcessTable } from './processTable';

describe('parseProcessStat', () => {
  it('reads name, CPU ticks, start and resident memory, a name with spaces and parentheses included', () => {
    const line = '4242 (Web Content (x)) S 1 2 3 0 -1 4194560 10 0 0 0 250 50 0 0 20 0 30 0 123456 99999 2048 0';
    expect(parseProcessStat(4242, line, 4096)).toEqual({
      pid: 4242,
      name: 'Web Content (x)',
      cpuTicks: 300,
      rssBytes: 2048 * 4096,
      startTicks: 123456,
    });
  });

  it('gives null for a line cut short (the process went away as it was read)', () => {
    expect(parseProcessStat(1, '1 (init) S 1 2', 4096)).toBeNull();
    expect(parseProcessStat(1, '', 4096)).toBeNull();
  });
});

describe('ProcessTable', () => {
  it('lists a scripted /proc, learns its page size from self, and skips a process that ended', () => {
    const proc = new ScriptedProcTable([
      { pid: 10, name: 'chromium', rssBytes: 300 * 1024 ** 2, cpuTicks: 500 },
      { pid: 11, name: 'code', rssBytes: 100 * 1024 ** 2 },
    ]);
    proc.end(11);
    const table = new ProcessTable(proc.root);
    expect(table.available).toBe(true);
    expect(table.pageBytes).toBe(4096);
    expect(table.uptimeSeconds()).toBe(10_000);
    expect(table.list().filter((p) => p.pid >= 10)).toEqual([
      { pid: 10, name: 'chromium', cpuTicks: 500, rssBytes: 300 * 1024 ** 2, startTicks: 0 },
    ]);
  });

  it('reads this machine: this very process is in it, with its own memory', () => {
    const table = new ProcessTable();
    const self = table.read(process.pid);
    expect(self?.rssBytes).toBeGreaterThan(10 * 1024 ** 2);
    expect(table.list().some((p) => p.pid === process.pid)).toBe(true);
  });

  it('is empty, never failing, where there is no /proc', () => {
    const table = new ProcessTable('/nonexistent-proc');
    expect(table.available).toBe(false);
    expect(table.list()).toEqual([]);
    expect(table.read(1)).toBeNull();
  });
});
