import { closeSync, openSync, readSync } from 'node:fs';
import os from 'node:os';
import { cpuPercentBetween, parseMemInfo, parseProcStat, type CpuTimes } from './procParsers';
import type { HostSampler, ResourceReadingWithoutGpus } from './sampler';

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
  private previousCpu: CpuTimes;
  private readonly cores = os.availableParallelism();

  constructor() {
    this.previousCpu = parseProcStat(this.stat.read());
  }

  read(): ResourceReadingWithoutGpus {
    const cpu = parseProcStat(this.stat.read());
    const percent = cpuPercentBetween(this.previousCpu, cpu);
    this.previousCpu = cpu;
    const mem = parseMemInfo(this.meminfo.read());
    return {
      cpu: { percent, cores: this.cores },
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
 * Other platforms: os.* (no spawns). os.freemem() is "available" on Windows but only free pages on macOS,
 * where it underestimates; the macOS sampler can refine this later.
 */
export class OsHostSampler implements HostSampler {
  private previousCpu = osCpuTimes();
  private readonly cores = os.availableParallelism();

  read(): ResourceReadingWithoutGpus {
    const cpu = osCpuTimes();
    const percent = cpuPercentBetween(this.previousCpu, cpu);
    this.previousCpu = cpu;
    const totalBytes = os.totalmem();
    const availableBytes = os.freemem();
    return {
      cpu: { percent, cores: this.cores },
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

export function createHostSampler(): HostSampler {
  return process.platform === 'linux' ? new ProcHostSampler() : new OsHostSampler();
}
