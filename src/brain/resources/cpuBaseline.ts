import { readFileSync } from 'node:fs';

/**
 * The machine's CPU counters and this process's CPU time, read together at one moment: the start of a CPU window.
 * A `mai status` reads one the moment it starts, so its window covers its own start-up instead of waiting a
 * further 250 ms after it; the host sampler's first interval then begins here. Linux only (/proc/stat).
 */
export interface CpuBaseline {
  /** /proc/stat as read, parsed where the sampler is made (this module stays tiny: it loads before anything). */
  procStat: string;
  /** process.cpuUsage(), user + system, µs. */
  ownMicros: number;
  /** performance.now() at the reading. */
  atMs: number;
}

export function readCpuBaseline(): CpuBaseline | null {
  if (process.platform !== 'linux') return null;
  try {
    const procStat = readFileSync('/proc/stat', 'utf8');
    const usage = process.cpuUsage();
    return { procStat, ownMicros: usage.user + usage.system, atMs: performance.now() };
  } catch {
    return null;
  }
}
