import { spawn, type ChildProcess } from 'node:child_process';
import type { GpuSample } from '../../../shared/contract';
import { silentLogger, type Logger } from '../../logger';
import type { GpuSampler } from '../sampler';
import { nvidiaSmiStreamArgs, parseNvidiaSmiLine } from './nvidiaSmiCsv';

export interface NvidiaSmiSamplerOptions {
  /** The executable; `nvidia-smi` from PATH by default. Tests put a scripted stand-in here. */
  command?: string;
  /** Defaults to the one-stream query at intervalMs. */
  args?: string[];
  intervalMs?: number;
  /**
   * No line for this long means nvidia-smi (or the driver under it) hung: kill it and start again.
   * 5 s is five missed 1 Hz lines: a busy driver can skip one or two, a hung one never comes back.
   */
  watchdogMs?: number;
  /** First wait before a restart, doubled on each failure in a row. */
  restartBackoffMs?: number;
  /**
   * Longest wait between restarts. A broken driver makes every start cost 20 ms-0.6 s of CPU; one try every
   * 5 minutes keeps that under 0.2 % of a core while still noticing a driver that comes back.
   */
  maxRestartBackoffMs?: number;
  logger?: Logger;
}

/**
 * NVIDIA through ONE long-lived `nvidia-smi … -lms 1000` child (one spawn per sample costs 20 ms-0.6 s).
 * read() returns the latest figures per GPU; a watchdog restarts a silent child with backoff; close() kills it.
 */
export class NvidiaSmiSampler implements GpuSampler {
  private readonly command: string;
  private readonly args: string[];
  private readonly watchdogMs: number;
  private readonly restartBackoffMs: number;
  private readonly maxRestartBackoffMs: number;
  private readonly logger: Logger;
  private readonly latestByIndex = new Map<number, GpuSample>();
  private child: ChildProcess | undefined;
  private pendingText = '';
  private lastLineAtMs = 0;
  private failuresInARow = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** How many times the child was started; for logs and tests. */
  startCount = 0;

  constructor(options: NvidiaSmiSamplerOptions = {}) {
    const intervalMs = options.intervalMs ?? 1000;
    this.command = options.command ?? 'nvidia-smi';
    this.args = options.args ?? nvidiaSmiStreamArgs(intervalMs);
    this.watchdogMs = options.watchdogMs ?? 5000;
    this.restartBackoffMs = options.restartBackoffMs ?? 1000;
    this.maxRestartBackoffMs = options.maxRestartBackoffMs ?? 5 * 60 * 1000;
    this.logger = options.logger ?? silentLogger;
    this.startChild();
    // Checks at a quarter of the limit so a hang is caught at most 25 % late; unref: monitoring never holds the process open.
    this.watchdog = setInterval(() => this.checkWatchdog(), Math.max(10, this.watchdogMs / 4));
    this.watchdog.unref();
  }

  read(): GpuSample[] {
    return [...this.latestByIndex.values()].sort((a, b) => a.index - b.index);
  }

  /** The running child's pid, if any (tests check that it really ends). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    clearTimeout(this.restartTimer);
    this.stopChild();
  }

  private startChild(): void {
    if (this.closed) return;
    this.startCount += 1;
    this.pendingText = '';
    this.lastLineAtMs = performance.now();
    const child = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    this.child = child;
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => this.onText(chunk));
    child.on('error', (error) => this.onChildEnded(child, `could not run ${this.command}: ${error.message}`));
    child.on('exit', (code, signal) => this.onChildEnded(child, `${this.command} exited (${signal ?? code})`));
    // Neither the child nor its pipe may keep a CLI alive; if Mai dies, nvidia-smi gets SIGPIPE on its next line.
    child.unref();
    (child.stdout as { unref?: () => void } | null)?.unref?.();
  }

  private onText(chunk: string): void {
    const lines = (this.pendingText + chunk).split('\n');
    this.pendingText = lines.pop() ?? '';
    for (const line of lines) {
      const sample = parseNvidiaSmiLine(line.replace(/\r$/, ''));
      if (!sample) continue;
      this.latestByIndex.set(sample.index, sample);
      this.lastLineAtMs = performance.now();
      this.failuresInARow = 0;
    }
  }

  private checkWatchdog(): void {
    if (!this.child || performance.now() - this.lastLineAtMs < this.watchdogMs) return;
    this.logger.warn('nvidia-smi went silent; restarting it', {
      silentMs: Math.round(performance.now() - this.lastLineAtMs),
    });
    this.onChildEnded(this.child, 'watchdog');
  }

  private onChildEnded(child: ChildProcess, reason: string): void {
    if (child !== this.child) return; // an old child's late exit event
    this.stopChild();
    if (this.closed) return;
    this.failuresInARow += 1;
    const delayMs = Math.min(this.maxRestartBackoffMs, this.restartBackoffMs * 2 ** (this.failuresInARow - 1));
    this.logger.warn('nvidia-smi stream ended; restarting later', { reason, delayMs });
    this.restartTimer = setTimeout(() => this.startChild(), delayMs);
    this.restartTimer.unref();
  }

  private stopChild(): void {
    const child = this.child;
    this.child = undefined;
    // SIGKILL: nvidia-smi keeps no state worth a clean exit, and one stuck in the driver ignores SIGTERM anyway.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
