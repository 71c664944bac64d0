import { describe, expect, it } from 'vitest';
import { ScriptedProcTable, type ScriptedProcess } from '../../../test/proc/scriptedProcTable';
import { PressureAttribution } from './PressureAttribution';
import { ProcessTable } from './processTable';
import { sampleWith } from './testSamples';

const mib = 1024 ** 2;
const gib = 1024 ** 3;
const thresholds = { memoryPercent: 80, cpuPercent: 85 };

/** A scripted /proc and clock: `at(seconds, processes, figures)` moves both and shows the watcher one sample. */
function machine(engine: number[] = []) {
  const proc = new ScriptedProcTable();
  const time = { nowMs: 1_000_000 };
  const attribution = new PressureAttribution({
    table: new ProcessTable(proc.root),
    clock: { nowMs: () => time.nowMs, monotonicMs: () => time.nowMs },
    thresholds: () => thresholds,
    excludedPids: () => engine,
  });
  const startSeconds = proc.uptimeSeconds;
  return {
    attribution,
    proc,
    at(seconds: number, processes: ScriptedProcess[], figures: { memory: number; cpu?: number }) {
      time.nowMs = 1_000_000 + seconds * 1000;
      proc.uptimeSeconds = startSeconds + seconds;
      proc.set(processes);
      const sample = sampleWith({
        memoryUsedPercent: figures.memory,
        cpuPercent: figures.cpu ?? 5,
        totalBytes: 16 * gib,
      });
      attribution.observe({ ...sample, cpu: { ...sample.cpu, cores: 2 } });
      return attribution.causes();
    },
  };
}

// Old processes (started at boot) and one opened two minutes before pressure began.
const chromium = (rssBytes: number): ScriptedProcess => ({ pid: 100, name: 'chromium', rssBytes });
const editor: ScriptedProcess = { pid: 200, name: 'code', rssBytes: 700 * mib };

describe('PressureAttribution', () => {
  it('reads nothing while the machine is calm', () => {
    const m = machine();
    expect(m.at(0, [chromium(1 * gib), editor], { memory: 40 })).toEqual({ memory: null, cpu: null });
    expect(m.attribution.scans).toBe(0);
  });

  it('names the program that grew since pressure began, and the one opened shortly before it with all it took', () => {
    const m = machine();
    const opened = { pid: 300, name: 'gimp', rssBytes: 900 * mib, startSeconds: 10_000 - 120 };
    expect(m.at(0, [chromium(1 * gib), editor, opened], { memory: 70 })).toEqual({
      memory: 'gimp +900.0 MiB in 2 min',
      cpu: null,
    });
    // Chromium takes 2.8 GiB more; the editor is steady; gimp's 900 MiB still counts from its start.
    const later = m.at(5, [chromium(3.8 * gib), editor, opened], { memory: 91 });
    expect(later.memory).toBe('chromium +2.8 GiB in 5 s, gimp +900.0 MiB in 2 min');
  });

  it('keeps the named programs with their processes, and reads what those hold later without a scan', () => {
    const m = machine();
    const renderer = { pid: 101, name: 'chromium', rssBytes: 500 * mib };
    m.at(0, [chromium(1 * gib), renderer, editor], { memory: 70 });
    m.at(5, [chromium(3 * gib), renderer, editor], { memory: 91 });
    const [named] = m.attribution.neighbours();
    expect(named).toMatchObject({ name: 'chromium', grewBytes: 2 * gib, residentBytes: 3 * gib + 500 * mib });
    expect(named?.processes.map((p) => p.pid)).toEqual([100, 101]);
    const scans = m.attribution.scans;
    // The renderer closed; pid 100 is another process now (another start time): neither counts for chromium.
    m.proc.end(101);
    m.at(6, [{ ...chromium(4 * gib), startSeconds: 9_999 }, editor], { memory: 91 });
    expect(m.attribution.residentBytes(named?.processes ?? [])).toBe(0);
    expect(m.attribution.scans).toBe(scans);
    expect(m.at(7, [editor], { memory: 40 }) && m.attribution.neighbours()).toEqual([]);
  });

  it('names a process busy on the CPU between two scans, in shares of the whole machine', () => {
    const m = machine();
    const burner = (cpuTicks: number): ScriptedProcess => ({ pid: 400, name: 'ffmpeg', rssBytes: 50 * mib, cpuTicks });
    m.at(0, [burner(0), editor], { memory: 30, cpu: 90 });
    // 9 s of CPU in 5 s on 2 cores: 90 % of the machine.
    expect(m.at(5, [burner(900), editor], { memory: 30, cpu: 95 }).cpu).toBe('ffmpeg 90 %');
  });

  it('leaves out Mai itself and the engine answering for it', () => {
    const lmStudio = 500;
    const m = machine([lmStudio]);
    const own = { pid: process.pid, name: 'node', rssBytes: 100 * mib, cpuTicks: 0 };
    const engine = { pid: lmStudio, name: 'lm-studio', rssBytes: 100 * mib, cpuTicks: 0 };
    m.at(0, [own, engine], { memory: 85, cpu: 90 });
    const causes = m.at(
      5,
      [
        { ...own, rssBytes: 2 * gib, cpuTicks: 900 },
        { ...engine, rssBytes: 3 * gib, cpuTicks: 900 },
      ],
      {
        memory: 90,
        cpu: 95,
      },
    );
    expect(causes).toEqual({ memory: null, cpu: null });
  });

  it('does not name growth below 1 % of the memory (a tab, a GC)', () => {
    const m = machine();
    m.at(0, [chromium(1 * gib)], { memory: 85 });
    expect(m.at(5, [chromium(1 * gib + 150 * mib)], { memory: 86 }).memory).toBeNull();
  });

  it('scans every 5 s early in a spell, every 30 s later, and forgets it once the machine is calm again', () => {
    const m = machine();
    for (let second = 0; second <= 120; second += 1) m.at(second, [editor], { memory: 90 });
    // 0, 5, …, 25 within the first 30 s (6 scans), then 55, 85 and 115.
    expect(m.attribution.scans).toBe(9);
    expect(m.at(121, [editor], { memory: 40 })).toEqual({ memory: null, cpu: null });
    m.at(122, [editor], { memory: 90 });
    expect(m.attribution.scans).toBe(10);
  });
});
