import { closeSync, openSync, readSync } from 'node:fs';
import os from 'node:os';
import type { CpuBaseline } from './cpuBaseline';
import { OwnCpuMeter, processSources } from './ownCpu';
import { cpuPercentBetween, parseMemInfo, parseProcStat, type CpuTimes } from './procParsers';
import { ProcessTable } from './processTable';
import type { HostSampler, ResourceReadingWithoutGpus } from './sampler';

export interface HostSamplerOptions {
  /** Processes of a local engine Mai answers through, whose CPU counts as Mai's (engineProcesses.ts). */
  enginePids?: () => readonly number[];
  /** Where Linux's process table is read (tests pass a scripted one). */
  table?: ProcessTable;
  /** Where the first CPU window starts (cpuBaseline.ts); when the sampler is made, by default. */
  baseline?: CpuBaseline;
}

/**
 * Readings closer together than this give no CPU figure: 250 ms. /proc/stat counts in 10 ms jiffies, so a quarter
 * second is 25 of them per core (a 4 % step on one core); the monitor's first sample comes a moment after the
 * sampler is made, when one jiffy or none has passed and the machine reads 0 % or 100 % by chance, and
 * process.cpuUsage (in µs) disagrees with it. Until an interval is long enough the last figures stand (0 at first).
 */
const minCpuIntervalMs = 250;

/** The machine's CPU and Mai's share of it over one interval, both measured at the same moment. */
class CpuFigures {
  private previousAtMs: number;
  private figures = { percent: 0, maiPercent: 0 };
  private readonly own: OwnCpuMeter;

  constructor(
    private previous: CpuTimes,
    private readonly readTimes: () => CpuTimes,
    private readonly cores: number,
    options: HostSamplerOptions,
  ) {
    const { baseline } = options;
    this.previousAtMs = baseline?.atMs ?? processSources.nowMs();
    this.own = new OwnCpuMeter({
      ...processSources,
      ...(options.enginePids ? { enginePids: options.enginePids } : {}),
      ...(options.table ? { table: options.table } : {}),
      ...(baseline ? { since: { atMs: baseline.atMs, ownMicros: baseline.ownMicros } } : {}),
    });
  }

  read(): { percent: number; maiPercent: number; cores: number } {
    const nowMs = processSources.nowMs();
    if (nowMs - this.previousAtMs >= minCpuIntervalMs) {
      const current = this.readTimes();
      const percent = cpuPercentBetween(this.previous, current);
      // The two clocks are read a moment apart: Mai never counts for more than the whole machine used.
      this.figures = { percent, maiPercent: Math.min(percent, this.own.percentSinceLast(this.cores)) };
      this.previous = current;
      this.previousAtMs = nowMs;
    }
    return { ...this.figures, cores: this.cores };
  }
}

function usedPercent(totalBytes: number, availableBytes: number): number {
  return totalBytes > 0 ? Math.min(100, Math.max(0, ((totalBytes - availableBytes) / totalBytes) * 100)) : 0;
}

/** A /proc file opened once and re-read from offset 0: no open/close per sample (see resource-sampling.md). */
class KeptOpenFile {
  private readonly fd: number;
  private readonly buffer = Buffer.alloc(64 * 1024);
  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
  }
  read(): string {
    const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
    return this.buffer.toString('utf8', 0, length);
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** Linux: /proc/stat and /proc/meminfo on kept-open files; the kernel's MemAvailable for "available". */
export class ProcHostSampler implements HostSampler {
  private readonly stat = new KeptOpenFile('/proc/stat');
  private readonly meminfo = new KeptOpenFile('/proc/meminfo');
  private readonly cpu: CpuFigures;

  constructor(options: HostSamplerOptions = {}) {
    const readTimes = () => parseProcStat(this.stat.read());
    const first = options.baseline ? parseProcStat(options.baseline.procStat) : readTimes();
    this.cpu = new CpuFigures(first, readTimes, os.availableParallelism(), {
      table: new ProcessTable(),
      ...options,
    });
  }

  read(): ResourceReadingWithoutGpus {
    const mem = parseMemInfo(this.meminfo.read());
    return {
      cpu: this.cpu.read(),
      memory: {
        totalBytes: mem.totalBytes,
        availableBytes: mem.availableBytes,
        usedPercent: usedPercent(mem.totalBytes, mem.availableBytes),
        maiBytes: process.memoryUsage.rss(),
      },
      swap: { totalBytes: mem.swapTotalBytes, usedBytes: mem.swapTotalBytes - mem.swapFreeBytes },
    };
  }

  close(): void {
    this.stat.close();
    this.meminfo.close();
  }
}

function osCpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/**
 * Other platforms: os.* (no spawns); Mai's own CPU from process.cpuUsage, no engine processes (no process table). os.freemem() is "available" on Windows but only free pages on macOS,
 * where it underestimates; the macOS sampler can refine this later.
 */
export class OsHostSampler implements HostSampler {
  private readonly cpu = new CpuFigures(osCpuTimes(), osCpuTimes, os.availableParallelism(), {});

  read(): ResourceReadingWithoutGpus {
    const totalBytes = os.totalmem();
    const availableBytes = os.freemem();
    return {
      cpu: this.cpu.read(),
      memory: {
        totalBytes,
        availableBytes,
        usedPercent: usedPercent(totalBytes, availableBytes),
        maiBytes: process.memoryUsage.rss(),
      },
      swap: { totalBytes: 0, usedBytes: 0 },
    };
  }

  close(): void {}
}

export function createHostSampler(options: HostSamplerOptions = {}): HostSampler {
  return process.platform === 'linux' ? new ProcHostSampler(options) : new OsHostSampler();
}
