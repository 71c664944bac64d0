/**
 * This machine's real figures on a fast clock, and real programs to put beside Mai: what the end-to-end pressure
 * scenarios (resources/pressureCause, models/StepAside) run on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import type { Brain, BrainDeps } from '../src/brain/Brain';
import type { Clock } from '../src/brain/clock';
import { ProcessTable } from '../src/brain/resources/processTable';
import type { HostSampler, ResourceReadingWithoutGpus } from '../src/brain/resources/sampler';

/**
 * The real sampler with a clock one second on per sample (sampled twenty times a second), so the scaler's minute of
 * cooldown and ten seconds of pressure play out in seconds. `alone` sets the machine's CPU to Mai's own share of it:
 * Mai as if nothing else ran (other agents' tests share these cores).
 */
export class FastMachine implements HostSampler {
  private simulatedMs = Date.UTC(2026, 10, 22, 9);
  readonly clock: Clock = { nowMs: () => this.simulatedMs, monotonicMs: () => this.simulatedMs };
  maxMaiPercent = 0;

  constructor(
    private readonly real: HostSampler,
    private readonly alone = false,
  ) {}

  read(): ResourceReadingWithoutGpus {
    this.simulatedMs += 1000;
    const reading = this.real.read();
    const mine = reading.cpu.maiPercent ?? 0;
    this.maxMaiPercent = Math.max(this.maxMaiPercent, mine);
    return this.alone ? { ...reading, cpu: { ...reading.cpu, percent: mine } } : reading;
  }

  close(): void {
    this.real.close();
  }
}

/** A brain's dependencies on a FastMachine over `real`, reading this machine's process table for the causes. */
export function onFastMachine(real: HostSampler, alone = false) {
  const machine = new FastMachine(real, alone);
  const deps = {
    hostSampler: machine,
    clock: machine.clock,
    sampleIntervalMs: 50,
    processTable: new ProcessTable(),
  } satisfies Partial<BrainDeps>;
  return { machine, deps };
}

/** Real programs started by a test, killed when it ends. */
export class Programs {
  private readonly children: ChildProcess[] = [];

  /** node under another name (process.title sets the kernel's comm), running `body`. */
  start(title: string, body: string, nodeOptions: string[] = []): ChildProcess {
    const child = spawn(process.execPath, [...nodeOptions, '-e', `process.title = ${JSON.stringify(title)}; ${body}`], {
      stdio: 'ignore',
    });
    this.children.push(child);
    return child;
  }

  killAll(): void {
    for (const child of this.children.splice(0)) child.kill('SIGKILL');
  }
}

/** The programs and brains a scenario starts, all stopped after each of its tests (this registers the hook). */
export function scenarioParts(): { programs: Programs; brains: Brain[] } {
  const parts = { programs: new Programs(), brains: [] as Brain[] };
  afterEach(async () => {
    parts.programs.killAll();
    await Promise.all(parts.brains.splice(0).map((brain) => brain.shutdown()));
  });
  return parts;
}

/**
 * A program that takes 1 GiB in 64 MiB steps within about a second and holds it; SIGUSR2 makes it let go of all of
 * it (started with --expose-gc, so the buffers are freed at once and their mappings returned to the kernel).
 */
export const memoryHogBody =
  'const kept = []; const t = setInterval(() => { kept.push(Buffer.alloc(64 * 1024 ** 2, 1)); if (kept.length === 16) clearInterval(t); }, 20);' +
  ' process.on("SIGUSR2", () => { kept.length = 0; globalThis.gc?.(); }); setInterval(() => {}, 1000);';
