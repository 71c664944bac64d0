/**
 * Which programs grew while pressure built: two scans of the process table compared by program name (a browser's
 * dozens of processes are one program to a person). Pure; PressureAttribution takes the scans.
 */
import { formatBytes } from '../../shared/format';
import { clockTicksPerSecond, type ProcessStat } from './processTable';

export interface Scan {
  /** Wall-clock ms of the scan. */
  atMs: number;
  /** Seconds since boot at the scan, to date process starts; null where unknown. */
  uptimeSeconds: number | null;
  processes: ReadonlyMap<number, ProcessStat>;
}

export interface ProgramGrowth {
  name: string;
  /** Resident memory gained since the baseline (or since it started, for one started after it). */
  grewBytes: number;
  /** Since when that growth is counted (wall-clock ms). */
  sinceMs: number;
  /** Its share of the machine's CPU between the last two scans. */
  cpuPercent: number;
}

/**
 * A process started this long before the baseline (or later) counts all its memory as growth: 10 minutes. The
 * baseline is taken when pressure begins, so a program opened minutes earlier that filled memory since is named
 * with what it took, not only with its last seconds.
 */
export const youngProcessMs = 10 * 60_000;

/** When a process started, in wall-clock ms, from a scan's uptime; null where the scan has none. */
function startedAtMs(stat: ProcessStat, scan: Scan): number | null {
  if (scan.uptimeSeconds === null) return null;
  return scan.atMs - (scan.uptimeSeconds - stat.startTicks / clockTicksPerSecond) * 1000;
}

/** Every program's growth from `baseline` to `latest`, and its CPU from `previous` to `latest`. */
export function programGrowth(
  baseline: Scan,
  previous: Scan,
  latest: Scan,
  cores: number,
  excluded: ReadonlySet<number>,
): ProgramGrowth[] {
  const programs = new Map<string, ProgramGrowth>();
  const program = (name: string) => {
    let entry = programs.get(name);
    if (!entry) programs.set(name, (entry = { name, grewBytes: 0, sinceMs: baseline.atMs, cpuPercent: 0 }));
    return entry;
  };
  for (const [pid, stat] of baseline.processes) {
    if (excluded.has(pid)) continue;
    const started = startedAtMs(stat, baseline);
    // What an old process held at the baseline is not growth; a young one grew from nothing.
    if (started === null || started < baseline.atMs - youngProcessMs) program(stat.name).grewBytes -= stat.rssBytes;
  }
  // CPU ticks are the kernel's, so the time they are divided by is too (its uptime) where both scans have it.
  const elapsedSeconds =
    latest.uptimeSeconds !== null && previous.uptimeSeconds !== null
      ? latest.uptimeSeconds - previous.uptimeSeconds
      : (latest.atMs - previous.atMs) / 1000;
  for (const [pid, stat] of latest.processes) {
    if (excluded.has(pid)) continue;
    const entry = program(stat.name);
    entry.grewBytes += stat.rssBytes;
    const started = startedAtMs(stat, latest);
    const atBaseline = baseline.processes.get(pid);
    const young = started !== null && started >= baseline.atMs - youngProcessMs;
    if (young && (!atBaseline || atBaseline.startTicks === stat.startTicks)) {
      entry.sinceMs = Math.min(entry.sinceMs, started);
    }
    const before = previous.processes.get(pid);
    const ticks = before && before.startTicks === stat.startTicks ? stat.cpuTicks - before.cpuTicks : 0;
    if (elapsedSeconds > 0 && cores > 0) {
      entry.cpuPercent += (ticks / clockTicksPerSecond / elapsedSeconds / cores) * 100;
    }
  }
  return [...programs.values()];
}

/** "2 min", "40 s": how long a growth took, for a person. */
function duration(ms: number): string {
  return ms >= 90_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** The programs that grew by at least `minBytes`, largest growth first, `top` at most. */
export function memoryGrowers(growth: readonly ProgramGrowth[], minBytes: number, top: number): ProgramGrowth[] {
  return growth
    .filter((g) => g.grewBytes >= minBytes)
    .sort((a, b) => b.grewBytes - a.grewBytes)
    .slice(0, top);
}

/** One program's growth for a person: "chromium +2.8 GiB in 2 min". */
export function growthText(grower: ProgramGrowth, nowMs: number): string {
  return `${grower.name} +${formatBytes(grower.grewBytes)} in ${duration(nowMs - grower.sinceMs)}`;
}

/** The programs that took the memory: "chromium +2.8 GiB in 2 min, code +600 MiB in 40 s", or null for none. */
export function memoryCause(growers: readonly ProgramGrowth[], nowMs: number): string | null {
  if (growers.length === 0) return null;
  return growers.map((g) => growthText(g, nowMs)).join(', ');
}

/** The programs on the CPU, busiest first: "ffmpeg 92 %", in shares of the whole machine like the CPU figure. */
export function cpuCause(growth: readonly ProgramGrowth[], minPercent: number, top: number): string | null {
  const busy = growth.filter((g) => g.cpuPercent >= minPercent).sort((a, b) => b.cpuPercent - a.cpuPercent);
  if (busy.length === 0) return null;
  return busy
    .slice(0, top)
    .map((g) => `${g.name} ${Math.round(g.cpuPercent)} %`)
    .join(', ');
}
