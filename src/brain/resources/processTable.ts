/**
 * The machine's processes as Linux's /proc shows them: one read of `/proc/<pid>/stat` per process gives its name,
 * its CPU time and its resident memory (statm would need a second read for the name). The root is injectable, so
 * tests read a scripted table. Elsewhere (macOS, Windows) there is no such table without spawning `ps` or calling
 * native APIs: `available` is false and every read is empty, so Mai's own figures still split (process.cpuUsage)
 * but no other program is named.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';

/**
 * Clock ticks per second of /proc's CPU times (USER_HZ): 100 on every mainstream Linux build; reading it needs
 * getconf (a spawn), which the 1 Hz path must not do.
 */
export const clockTicksPerSecond = 100;

export interface ProcessStat {
  pid: number;
  /** The kernel's name for it (comm: the executable's name, 15 characters at most). */
  name: string;
  /** User + system CPU time, in clock ticks. */
  cpuTicks: number;
  rssBytes: number;
  /** When it started, in clock ticks after boot. */
  startTicks: number;
}

/** One /proc/<pid>/stat line; null for one that does not parse (the process went away mid-read). Pure. */
export function parseProcessStat(pid: number, text: string, pageBytes: number): ProcessStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // The name may hold spaces and parentheses; the fields after the last ")" start at field 3 (state).
  const fields = text.slice(close + 2).split(' ');
  const [utime, stime, starttime, rss] = [fields[11], fields[12], fields[19], fields[21]].map(Number);
  if ([utime, stime, starttime, rss].some((n) => n === undefined || !Number.isFinite(n))) return null;
  return {
    pid,
    name: text.slice(open + 1, close),
    cpuTicks: (utime ?? 0) + (stime ?? 0),
    rssBytes: (rss ?? 0) * pageBytes,
    startTicks: starttime ?? 0,
  };
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The page size, from this process's own figures: VmRSS (kB) in /proc/self/status over the rss pages of
 * /proc/self/stat. 4 KiB almost everywhere, 16 or 64 KiB on some arm64 kernels; no spawn needed to learn it.
 */
function pageBytesOf(procRoot: string): number {
  const status = readText(path.join(procRoot, 'self', 'status'));
  const stat = readText(path.join(procRoot, 'self', 'stat'));
  const rssKib = Number(/^VmRSS:\s+(\d+)\s*kB/m.exec(status ?? '')?.[1]);
  const pages = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[21]);
  if (!(rssKib > 0 && pages > 0)) return 4096;
  // Rounded to a power of two: the two reads are a moment apart and the RSS moves between them.
  return 2 ** Math.round(Math.log2((rssKib * 1024) / pages));
}

export class ProcessTable {
  readonly available: boolean;
  readonly pageBytes: number;
  /** One buffer for every stat read: a stat line is ~300 bytes; open, read, close and no allocation per process. */
  private readonly buffer = Buffer.alloc(4096);

  constructor(private readonly procRoot = '/proc') {
    this.available = existsSync(path.join(procRoot, 'self', 'stat')) || existsSync(path.join(procRoot, '1', 'stat'));
    this.pageBytes = this.available ? pageBytesOf(procRoot) : 4096;
  }

  /** One process, or null when it is gone (or the table is not available). */
  read(pid: number): ProcessStat | null {
    let fd: number;
    try {
      fd = openSync(`${this.procRoot}/${pid}/stat`, 'r');
    } catch {
      return null;
    }
    try {
      const length = readSync(fd, this.buffer, 0, this.buffer.length, 0);
      return parseProcessStat(pid, this.buffer.toString('latin1', 0, length), this.pageBytes);
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /** Seconds since boot (/proc/uptime), which process start times count from; null where unknown. */
  uptimeSeconds(): number | null {
    const seconds = Number(readText(path.join(this.procRoot, 'uptime'))?.split(' ')[0]);
    return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  }

  /** Every process: one small read each (see PressureAttribution for how often this runs). */
  list(): ProcessStat[] {
    if (!this.available) return [];
    let names: string[];
    try {
      names = readdirSync(this.procRoot);
    } catch {
      return [];
    }
    const stats: ProcessStat[] = [];
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      const stat = this.read(Number(name));
      if (stat) stats.push(stat);
    }
    return stats;
  }
}
