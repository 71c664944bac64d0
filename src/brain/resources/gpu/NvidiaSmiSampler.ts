import { spawn, type ChildProcess } from 'node:child_process';
import type { GpuSample } from '../../../shared/contract';
import { silentLogger, type Logger } from '../../logger';
import type { GpuSampler } from '../sampler';
import { asleepSample } from './asleepSample';
import { nvidiaSmiStreamArgs, parseNvidiaSmiLine } from './nvidiaSmiCsv';
import { findNvidiaPciAddresses, pciDeviceAsleep } from './pciPower';

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
  /**
   * Root of sysfs, where the NVIDIA cards' runtime power state is read ('/sys' on Linux by default; null: never
   * checked). While every card sleeps the stream is stopped: each of its queries would wake them all.
   */
  sysfsRoot?: string | null;
  /** The cards' PCI addresses; found under sysfsRoot by default. */
  pciAddresses?: readonly string[];
  logger?: Logger;
}

/**
 * NVIDIA through ONE long-lived `nvidia-smi … -lms 1000` child (one spawn per sample costs 20 ms-0.6 s).
 * read() returns the latest figures per GPU; a watchdog restarts a silent child with backoff; close() kills it.
 */
export class NvidiaSmiSampler implements GpuSampler {
  private readonly command: string;
  private readonly customArgs: string[] | undefined;
  private intervalMs: number;
  private readonly watchdogMs: number;
  private readonly sysfsRoot: string | null;
  private readonly pciAddresses: readonly string[];
  /** Every card sleeps: no child runs, and none starts until one wakes. */
  private asleep = false;
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
    this.intervalMs = options.intervalMs ?? 1000;
    this.command = options.command ?? 'nvidia-smi';
    this.customArgs = options.args;
    this.watchdogMs = options.watchdogMs ?? 5000;
    this.restartBackoffMs = options.restartBackoffMs ?? 1000;
    this.maxRestartBackoffMs = options.maxRestartBackoffMs ?? 5 * 60 * 1000;
    this.logger = options.logger ?? silentLogger;
    this.sysfsRoot =
      options.sysfsRoot === undefined ? (process.platform === 'linux' ? '/sys' : null) : options.sysfsRoot;
    this.pciAddresses = options.pciAddresses ?? (this.sysfsRoot === null ? [] : findNvidiaPciAddresses(this.sysfsRoot));
    this.asleep = this.allCardsAsleep();
    if (!this.asleep) this.startChild();
    // Checks at a quarter of the limit so a hang is caught at most 25 % late; unref: monitoring never holds the process open.
    this.watchdog = setInterval(() => this.checkWatchdog(), Math.max(10, this.watchdogMs / 4));
    this.watchdog.unref();
  }

  read(): GpuSample[] {
    const latest = [...this.latestByIndex.values()].sort((a, b) => a.index - b.index);
    return this.asleep ? latest.map((gpu) => asleepSample(gpu, gpu)) : latest;
  }

  /**
   * How often the stream queries. The monitor slows it while no model uses the GPU (a query a second keeps a card
   * from ever reaching its runtime suspend): the child is restarted at the new pace, since nvidia-smi cannot change
   * its -lms while running. Custom args (tests) keep their own pace.
   */
  setPace(intervalMs: number): void {
    if (intervalMs === this.intervalMs) return;
    this.intervalMs = intervalMs;
    if (this.customArgs || !this.child) return;
    this.stopChild();
    this.startChild();
  }

  /** True when the stream is stopped because every card sleeps (tests; the samples say it per card). */
  get paused(): boolean {
    return this.asleep;
  }

  private allCardsAsleep(): boolean {
    return this.pciAddresses.length > 0 && this.pciAddresses.every((a) => pciDeviceAsleep(this.sysfsRoot, a));
  }

  /** Stops the stream when every card sleeps and starts it when one wakes; true while asleep. */
  private followSleep(): boolean {
    const asleep = this.allCardsAsleep();
    if (asleep !== this.asleep) {
      this.asleep = asleep;
      this.logger.info(asleep ? 'NVIDIA GPUs asleep; nvidia-smi stopped' : 'an NVIDIA GPU woke; nvidia-smi restarted');
      if (asleep) {
        clearTimeout(this.restartTimer);
        this.stopChild();
      } else if (!this.child) {
        this.failuresInARow = 0;
        this.startChild();
      }
    }
    return asleep;
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
    const args = this.customArgs ?? nvidiaSmiStreamArgs(this.intervalMs);
    const child = spawn(this.command, args, { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
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

  /** No line for this long means a hang: the watchdog's limit, or five lines' time at a slow pace. */
  private silentLimitMs(): number {
    return Math.max(this.watchdogMs, 5 * this.intervalMs);
  }

  private checkWatchdog(): void {
    if (this.followSleep()) return;
    if (!this.child || performance.now() - this.lastLineAtMs < this.silentLimitMs()) return;
    this.logger.warn('nvidia-smi went silent; restarting it', {
      silentMs: Math.round(performance.now() - this.lastLineAtMs),
    });
    this.onChildEnded(this.child, 'watchdog');
  }

  private onChildEnded(child: ChildProcess, reason: string): void {
    if (child !== this.child) return; // an old child's late exit event
    this.stopChild();
    if (this.closed || this.asleep) return;
    this.failuresInARow += 1;
    const delayMs = Math.min(this.maxRestartBackoffMs, this.restartBackoffMs * 2 ** (this.failuresInARow - 1));
    this.logger.warn('nvidia-smi stream ended; restarting later', { reason, delayMs });
    this.restartTimer = setTimeout(() => {
      if (!this.asleep) this.startChild();
    }, delayMs);
    this.restartTimer.unref();
  }

  private stopChild(): void {
    const child = this.child;
    this.child = undefined;
    // SIGKILL: nvidia-smi keeps no state worth a clean exit, and one stuck in the driver ignores SIGTERM anyway.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
