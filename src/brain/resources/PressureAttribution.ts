/**
 * The cause of pressure, named: while the machine is close to or over the tier's thresholds (the status line's
 * "stretched" or "strained"), the process table is read every few seconds and compared with the first reading of
 * that spell, so a decision can say "memory at 91 % (chromium +2.8 GiB in 2 min)". Between spells nothing is read.
 * Mai's own process and the engine answering for it are left out: they are not other programs.
 */
import type { ResourceSample } from '../../shared/contract';
import type { Clock } from '../clock';
import type { ScalingThresholds } from '../config';
import { moodOf } from '../personality';
import { cpuCause, memoryCause, memoryGrowers, programGrowth, type ProgramGrowth, type Scan } from './processGrowth';
import type { ProcessTable } from './processTable';

export interface PressureCauses {
  /** The programs whose memory grew most, or null when none grew enough to name (or nothing was read). */
  memory: string | null;
  /** The programs busiest on the CPU, or null. */
  cpu: string | null;
}

/** One process of a program, by pid and start time (a pid the kernel gives to another process is not taken for it). */
export interface NeighbourProcess {
  pid: number;
  startTicks: number;
}

/** A program named as taking memory in this spell of pressure, with its processes as the last scan found them. */
export interface Neighbour extends ProgramGrowth {
  processes: NeighbourProcess[];
  /** What those processes held at that scan. */
  residentBytes: number;
}

/** What stepping aside for a neighbour reads (models/StepAside.ts). */
export type NeighbourSource = Pick<PressureAttribution, 'neighbours' | 'residentBytes'>;

export interface AttributionOptions {
  /**
   * Scans while a spell is young: every 5 s for its first 30 s. The scaler decides after 10 s of pressure; by then
   * the growth since the spell began has been read twice.
   */
  earlyScanMs: number;
  earlyPhaseMs: number;
  /** Later in a long spell, every 30 s: the names change slowly, and each scan reads every process (bench/monitor). */
  lateScanMs: number;
  /**
   * The most of one core scanning may take while pressure lasts: 0.1 %, what the whole monitor is allowed. A scan
   * reads every process (~30 µs each): 2 ms on a quiet machine, 12 ms on a desktop with 400 processes, where scans
   * are spaced 12 s apart instead of 5.
   */
  maxCoreShare: number;
  /**
   * Least growth named: 1 % of the machine's memory and at least 64 MiB. Less is a tab's or a GC's swing, and naming
   * it beside the real cause would blur it.
   */
  minGrowthShare: number;
  minGrowthBytes: number;
  /** Least CPU named: 5 % of the machine, a busy background service; an idle one shows a few tenths. */
  minCpuPercent: number;
  /** How many programs a cause names: 2. A decision's reason stays one line; the rest is in the log's figures. */
  top: number;
}

export const defaultAttributionOptions: AttributionOptions = {
  earlyScanMs: 5_000,
  earlyPhaseMs: 30_000,
  lateScanMs: 30_000,
  maxCoreShare: 0.001,
  minGrowthShare: 0.01,
  minGrowthBytes: 64 * 1024 ** 2,
  minCpuPercent: 5,
  top: 2,
};

export interface AttributionDeps {
  table: ProcessTable;
  clock: Clock;
  thresholds: () => ScalingThresholds;
  /** Mai's own processes (its own pid is always left out). */
  excludedPids?: () => readonly number[];
  options?: Partial<AttributionOptions>;
}

interface Spell {
  baseline: Scan;
  previous: Scan;
  latest: Scan;
  startedAtMs: number;
}

const none: PressureCauses = { memory: null, cpu: null };

export class PressureAttribution {
  private readonly options: AttributionOptions;
  private spell: Spell | null = null;
  private current: PressureCauses = none;
  private growers: Neighbour[] = [];
  /** CPU ms the last scan took: scans are spaced so their average stays within maxCoreShare. */
  private lastScanCpuMs = 0;
  /** Scans taken, for the bench and the tests: each one reads every process. */
  scans = 0;

  constructor(private readonly deps: AttributionDeps) {
    this.options = { ...defaultAttributionOptions, ...deps.options };
  }

  /** What is taking the machine, as of the last scan; nulls outside a spell of pressure. */
  causes(): PressureCauses {
    return this.current;
  }

  /** The programs named as taking memory (the memory cause's), largest growth first; none outside a spell. */
  neighbours(): readonly Neighbour[] {
    return this.growers;
  }

  /**
   * What the given processes hold now, those still running: a few stat reads (~14 µs each), no scan of the table.
   * How Mai sees a program it stepped aside for give its memory back.
   */
  residentBytes(processes: readonly NeighbourProcess[]): number {
    let bytes = 0;
    for (const { pid, startTicks } of processes) {
      const stat = this.deps.table.read(pid);
      if (stat && stat.startTicks === startTicks) bytes += stat.rssBytes;
    }
    return bytes;
  }

  /** One cause for a person (the status line): memory's when it is the pressure, else the CPU's. */
  cause(sample: ResourceSample | undefined): string | null {
    if (!sample || !this.spell) return null;
    const memoryFirst = sample.memory.usedPercent >= this.deps.thresholds().memoryPercent - 15;
    return (memoryFirst ? this.current.memory : null) ?? this.current.cpu ?? this.current.memory;
  }

  /** Called with every sample: starts, continues or ends a spell, scanning when one is due. */
  observe(sample: ResourceSample): void {
    const mood = moodOf(sample, this.deps.thresholds());
    if (mood === 'relaxed' || mood === 'comfortable' || !this.deps.table.available) {
      this.spell = null;
      this.current = none;
      this.growers = [];
      return;
    }
    const nowMs = this.deps.clock.nowMs();
    const spell = this.spell;
    if (!spell) {
      const scan = this.scan(nowMs);
      this.spell = { baseline: scan, previous: scan, latest: scan, startedAtMs: nowMs };
    } else {
      const early = nowMs - spell.startedAtMs < this.options.earlyPhaseMs;
      const phaseMs = early ? this.options.earlyScanMs : this.options.lateScanMs;
      const dueMs = Math.max(phaseMs, this.lastScanCpuMs / this.options.maxCoreShare);
      if (nowMs - spell.latest.atMs < dueMs) return;
      spell.previous = spell.latest;
      spell.latest = this.scan(nowMs);
    }
    this.describe(sample);
  }

  private scan(nowMs: number): Scan {
    this.scans += 1;
    const { table } = this.deps;
    const started = process.cpuUsage();
    const scan = {
      atMs: nowMs,
      uptimeSeconds: table.uptimeSeconds(),
      processes: new Map(table.list().map((stat) => [stat.pid, stat])),
    };
    const used = process.cpuUsage(started);
    this.lastScanCpuMs = (used.user + used.system) / 1000;
    return scan;
  }

  private describe(sample: ResourceSample): void {
    const spell = this.spell;
    if (!spell) return;
    const excluded = new Set([process.pid, ...(this.deps.excludedPids?.() ?? [])]);
    const growth = programGrowth(spell.baseline, spell.previous, spell.latest, sample.cpu.cores, excluded);
    const { options } = this;
    const minBytes = Math.max(options.minGrowthBytes, options.minGrowthShare * sample.memory.totalBytes);
    const growers = memoryGrowers(growth, minBytes, options.top);
    this.growers = growers.map((grower) => neighbourOf(grower, spell.latest, excluded));
    this.current = {
      memory: memoryCause(growers, spell.latest.atMs),
      // CPU needs two scans to be measured; the first of a spell has nothing to compare with.
      cpu: spell.previous === spell.latest ? null : cpuCause(growth, options.minCpuPercent, options.top),
    };
  }
}

/** A grower with its processes in `scan` (Mai's own left out), and what they hold. */
function neighbourOf(grower: ProgramGrowth, scan: Scan, excluded: ReadonlySet<number>): Neighbour {
  const processes: NeighbourProcess[] = [];
  let residentBytes = 0;
  for (const stat of scan.processes.values()) {
    if (stat.name !== grower.name || excluded.has(stat.pid)) continue;
    processes.push({ pid: stat.pid, startTicks: stat.startTicks });
    residentBytes += stat.rssBytes;
  }
  return { ...grower, processes, residentBytes };
}
