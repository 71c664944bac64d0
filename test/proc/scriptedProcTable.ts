import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ScriptedProcess {
  pid: number;
  name: string;
  /** User + system CPU time in clock ticks (1/100 s). */
  cpuTicks?: number;
  rssBytes: number;
  /** Start, in seconds after boot. */
  startSeconds?: number;
}

const pageBytes = 4096;

/**
 * A /proc of scripted processes for the process table and pressure attribution: `<pid>/stat` lines as Linux writes
 * them (name in parentheses, times in ticks, rss in 4 KiB pages), `uptime`, and a `self` whose status and stat say
 * the page size. `set` rewrites the table, as processes grow, start and end between two scans.
 */
export class ScriptedProcTable {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'mai-proc-'));
  uptimeSeconds = 10_000;

  constructor(processes: ScriptedProcess[] = []) {
    this.write('self', { pid: 1, name: 'self', rssBytes: 40 * pageBytes });
    writeFileSync(path.join(this.root, 'self', 'status'), `Name:\tself\nVmRSS:\t${(40 * pageBytes) / 1024} kB\n`);
    this.set(processes);
  }

  set(processes: ScriptedProcess[]): void {
    for (const process of processes) this.write(String(process.pid), process);
    writeFileSync(path.join(this.root, 'uptime'), `${this.uptimeSeconds.toFixed(2)} 1234.00\n`);
  }

  /** A process that ended: its folder holds no stat any more (as /proc/<pid> vanishes). */
  end(pid: number): void {
    writeFileSync(path.join(this.root, String(pid), 'stat'), '');
  }

  private write(dir: string, p: ScriptedProcess): void {
    mkdirSync(path.join(this.root, dir), { recursive: true });
    const ticks = p.cpuTicks ?? 0;
    const start = Math.round((p.startSeconds ?? 0) * 100);
    const rssPages = Math.round(p.rssBytes / pageBytes);
    // Fields 3.. after "(name)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime priority nice threads itrealvalue starttime vsize rss ...
    const fields = ['S', 1, 1, 1, 0, -1, 0, 0, 0, 0, 0, ticks, 0, 0, 0, 20, 0, 1, 0, start, 1e8, rssPages, 0];
    writeFileSync(path.join(this.root, dir, 'stat'), `${p.pid} (${p.name}) ${fields.join(' ')}\n`);
  }
}
