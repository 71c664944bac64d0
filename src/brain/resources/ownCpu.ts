/**
 * Mai's own share of the machine's CPU between two samples: its process (process.cpuUsage counts every thread, so
 * the embedded engine's llama.cpp threads are in it) and the processes of a local engine it answers through (LM
 * Studio's, found by engineProcesses.ts), read from /proc. What is left of the machine's figure is other programs'.
 */
import { clockTicksPerSecond, type ProcessTable } from './processTable';

export interface OwnCpuSources {
  /** CPU time of this process so far, in µs (user + system, every thread). */
  ownMicros: () => number;
  /** Monotonic ms. */
  nowMs: () => number;
  /** The engine processes to count as Mai's (none by default). */
  enginePids?: () => readonly number[];
  table?: ProcessTable;
  /** Where the first window starts (an earlier reading of the same clocks); now by default. */
  since?: { atMs: number; ownMicros: number };
}

export const processSources: Pick<OwnCpuSources, 'ownMicros' | 'nowMs'> = {
  ownMicros: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  nowMs: () => performance.now(),
};

export class OwnCpuMeter {
  private lastMs: number;
  private lastOwnMicros: number;
  private lastEngineTicks = new Map<number, number>();

  constructor(private readonly sources: OwnCpuSources) {
    this.lastMs = sources.since?.atMs ?? sources.nowMs();
    this.lastOwnMicros = sources.since?.ownMicros ?? sources.ownMicros();
    // Engine processes are not read yet: whoever names them may not be ready, and each counts from its first reading.
  }

  /** The share of the machine (all `cores`) Mai used since the last call, 0-100. */
  percentSinceLast(cores: number): number {
    const nowMs = this.sources.nowMs();
    const ownMicros = this.sources.ownMicros();
    const elapsedMs = nowMs - this.lastMs;
    const usedMs = (ownMicros - this.lastOwnMicros) / 1000 + this.engineCpuMs();
    this.lastMs = nowMs;
    this.lastOwnMicros = ownMicros;
    if (elapsedMs <= 0 || cores <= 0) return 0;
    return Math.min(100, Math.max(0, (usedMs / (elapsedMs * cores)) * 100));
  }

  /** CPU ms the engine processes used since the last call; one that just appeared counts from now. */
  private engineCpuMs(): number {
    const pids = this.sources.enginePids?.() ?? [];
    const table = this.sources.table;
    if (!table || pids.length === 0) {
      this.lastEngineTicks.clear();
      return 0;
    }
    const current = new Map<number, number>();
    let usedMs = 0;
    for (const pid of pids) {
      const stat = table.read(pid);
      if (!stat) continue;
      current.set(pid, stat.cpuTicks);
      const before = this.lastEngineTicks.get(pid);
      if (before !== undefined) usedMs += ((stat.cpuTicks - before) / clockTicksPerSecond) * 1000;
    }
    this.lastEngineTicks = current;
    return usedMs;
  }
}
