/**
 * The processes of a local LM Studio, so its generation for Mai counts as Mai's own CPU rather than another
 * program's. LM Studio says nothing of its pid over its API; mapping its port to a process would mean reading every
 * process's open sockets. Its processes go by their executable's name instead (the app, its helpers and model
 * workers run as "lm-studio"/"LM Studio", the headless daemon as "llmster"), found in the process table at most
 * once a minute, and only while Mai asks (it answers through LM Studio). An LM Studio on another machine has no
 * process here, so nothing is counted for it; one renamed or sandboxed beyond recognition is missed, and its CPU
 * then counts as other programs' as before.
 */
import type { ProcessStat, ProcessTable } from './processTable';

/** Executable names LM Studio runs under (comm, at most 15 characters). */
export function isLmStudioProcess(name: string): boolean {
  return /^(lm[ -]?studio|lmstudio|llmster)\b/i.test(name.trim());
}

/**
 * How long a list of LM Studio's processes is trusted: 60 s. Its model workers start with a load and stay; a
 * minute late at worst, for one scan of the process table a minute while Mai answers through it.
 */
export const engineRescanMs = 60_000;

export class EngineProcesses {
  private pids: number[] = [];
  private scannedAtMs = -Infinity;

  constructor(
    private readonly table: ProcessTable,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** LM Studio's processes on this machine (a fresh scan when the last is older than a minute). */
  lmStudio(): readonly number[] {
    const nowMs = this.nowMs();
    if (nowMs - this.scannedAtMs >= engineRescanMs) {
      this.scannedAtMs = nowMs;
      this.pids = this.table
        .list()
        .filter((stat: ProcessStat) => isLmStudioProcess(stat.name))
        .map((stat) => stat.pid);
    }
    return this.pids;
  }
}
