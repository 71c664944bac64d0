import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScriptedProcTable } from '../../../test/proc/scriptedProcTable';
import { OwnCpuMeter, processSources } from './ownCpu';
import { ProcessTable } from './processTable';

let children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
});

describe('OwnCpuMeter', () => {
  it("counts this process's CPU and its engine's as shares of the whole machine", () => {
    const proc = new ScriptedProcTable([{ pid: 77, name: 'lm-studio', rssBytes: 0, cpuTicks: 1000 }]);
    const clock = { ms: 0, micros: 0 };
    const meter = new OwnCpuMeter({
      ownMicros: () => clock.micros,
      nowMs: () => clock.ms,
      enginePids: () => [77],
      table: new ProcessTable(proc.root),
    });
    // Engine processes count from their first reading (the meter reads none when it is made).
    expect(meter.percentSinceLast(4)).toBe(0);
    // In 1 s on 4 cores: 0.6 s of Mai's own, 1.4 s (140 ticks) of LM Studio's: 2 of 4 cores, 50 % of the machine.
    clock.ms = 1000;
    clock.micros = 600_000;
    proc.set([{ pid: 77, name: 'lm-studio', rssBytes: 0, cpuTicks: 1140 }]);
    expect(meter.percentSinceLast(4)).toBeCloseTo(50, 5);
    // An engine process that appears counts from its first reading, not from its start.
    clock.ms = 2000;
    proc.set([
      { pid: 77, name: 'lm-studio', rssBytes: 0, cpuTicks: 1140 },
      { pid: 78, name: 'lm-studio', rssBytes: 0, cpuTicks: 99_999 },
    ]);
    const meterWithTwo = new OwnCpuMeter({
      ownMicros: () => clock.micros,
      nowMs: () => clock.ms,
      enginePids: () => [77, 78],
      table: new ProcessTable(proc.root),
    });
    expect(meterWithTwo.percentSinceLast(4)).toBe(0);
    clock.ms = 3000;
    expect(meterWithTwo.percentSinceLast(4)).toBe(0);
  });

  it('counts a real engine process busy on a core as Mai’s, beside a meter that leaves it out', async () => {
    const child = spawn(process.execPath, ['-e', "process.title = 'mai-test-engine'; for (;;) {}"]);
    children.push(child);
    const pid = child.pid ?? 0;
    const table = new ProcessTable();
    const withEngine = new OwnCpuMeter({ ...processSources, enginePids: () => [pid], table });
    const without = new OwnCpuMeter({ ...processSources, table });
    withEngine.percentSinceLast(1);
    without.percentSinceLast(1);
    // Until the child has used half a second of CPU (it spins from its first instruction).
    const startTicks = table.read(pid)?.cpuTicks ?? 0;
    await vi.waitFor(() => expect((table.read(pid)?.cpuTicks ?? 0) - startTicks).toBeGreaterThanOrEqual(50), {
      timeout: 20_000,
      interval: 50,
    });
    const cores = os.availableParallelism();
    const counted = withEngine.percentSinceLast(cores);
    const own = without.percentSinceLast(cores);
    expect(table.read(pid)?.name).toBe('mai-test-engine');
    expect(counted - own).toBeGreaterThan(10);
  });
});
