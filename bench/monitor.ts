/**
 * CPU cost of Mai's 1 Hz resource monitor against a naive systeminformation loop, measured side by side.
 *
 *   node --import tsx bench/monitor.ts [seconds]      (default 60)
 *
 * Each loop runs in its own child process, all at once, so they see the same machine. The children run this file
 * bundled to plain JavaScript by esbuild, as Mai ships: under tsx even an empty timer costs ~0.4 % of a core
 * (measured), which would drown the figure this bench exists for. A child counts its own CPU
 * (process.cpuUsage) plus that of the processes it waited for (/proc/self/stat cutime + cstime: si.graphics()
 * spawns lspci, dmidecode, nvidia-smi... every call), from its first measured tick to its last. A third child, an
 * empty 1 Hz timer, shows the floor any Node loop pays.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import si from 'systeminformation';
import { systemClock } from '../src/brain/clock';
import { createGpuSampler } from '../src/brain/resources/gpu/createGpuSampler';
import { createHostSampler } from '../src/brain/resources/hostSampler';
import { createPowerSampler } from '../src/brain/resources/power/createPowerSampler';
import { ResourceMonitor } from '../src/brain/resources/ResourceMonitor';
import { printAttributionChecks } from './monitor/attributionChecks';
import { printPowerChecks } from './monitor/powerChecks';

type LoopKind = 'idle' | 'mai' | 'si';

interface LoopReport {
  kind: LoopKind;
  samples: number;
  ownCpuMs: number;
  childrenCpuMs: number;
  wallMs: number;
  /** Mean time one sample took, start to end (what a caller waits). */
  sampleWallMs: number;
  note: string;
}

const intervalMs = 1000;
/**
 * Measuring starts after 10 s of running: loading modules leaves V8 work behind (lazy compiles, then the memory
 * reducer's full GCs ~8 s after start, ~20 ms of CPU seen here), a one-off that is not what the loop costs all day.
 */
const warmUpMs = 10_000;

/** Clock ticks per second for /proc's times; USER_HZ is 100 on every mainstream Linux build. */
function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU ms of the waited-for children of this process (cutime + cstime), or 0 off Linux. */
function childrenCpuMs(ticksPerSecond: number): number {
  if (process.platform !== 'linux') return 0;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after "(comm) " start at field 3 (state); cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) / ticksPerSecond) * 1000;
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a loop (already warmed up); returns how to stop it, how many samples it took and their summed wall time. */
async function startLoop(
  kind: LoopKind,
): Promise<{ stop: () => Promise<void>; counts: () => [number, number]; note: string }> {
  let samples = 0;
  let sampleWallMs = 0;
  const timed = async (work: () => unknown) => {
    const started = performance.now();
    await work();
    sampleWallMs += performance.now() - started;
    samples += 1;
  };
  if (kind === 'mai') {
    const gpu = createGpuSampler();
    const host = createHostSampler();
    // As Mai runs it with a model loaded on the GPU (read every second) and the power source read every 30 s.
    const power = createPowerSampler();
    const monitor = new ResourceMonitor({ host, gpu, power, clock: systemClock, sampleIntervalMs: intervalMs });
    await monitor.sampleNow(); // warm-up: the GPU source is chosen here
    const note = `host sampler ${host.constructor.name}, GPU source ${await gpu.source()}`;
    // Time each sample from the timer's own call, through the monitor's public sampleNow.
    const timer = setInterval(() => void timed(() => monitor.sampleNow()), intervalMs);
    return { stop: async () => (clearInterval(timer), monitor.stop()), counts: () => [samples, sampleWallMs], note };
  }
  if (kind === 'si') {
    const iteration = async () => {
      await si.currentLoad();
      await si.mem();
      await si.graphics();
    };
    await iteration(); // warm-up: currentLoad's first call alone takes ~0.5 s
    let inFlight: Promise<void> = Promise.resolve();
    const timer = setInterval(() => (inFlight = timed(iteration)), intervalMs);
    const stop = async () => (clearInterval(timer), await inFlight);
    return { stop, counts: () => [samples, sampleWallMs], note: 'si.currentLoad + si.mem + si.graphics' };
  }
  const timer = setInterval(() => void timed(() => undefined), intervalMs);
  return { stop: async () => clearInterval(timer), counts: () => [samples, sampleWallMs], note: 'empty setInterval' };
}

async function runChild(kind: LoopKind, seconds: number, ticksPerSecond: number): Promise<void> {
  const loop = await startLoop(kind);
  await sleep(warmUpMs);
  const [samplesBefore, sampleWallMsBefore] = loop.counts();
  const startOwn = ownCpuMs();
  const startChildren = childrenCpuMs(ticksPerSecond);
  const startWall = performance.now();
  await sleep(seconds * 1000 + intervalMs / 2); // half a tick more, so the last sample is in
  await loop.stop();
  const [samplesAfter, sampleWallMsAfter] = loop.counts();
  const samples = samplesAfter - samplesBefore;
  const sampleWallMs = sampleWallMsAfter - sampleWallMsBefore;
  const report: LoopReport = {
    kind,
    samples,
    ownCpuMs: ownCpuMs() - startOwn,
    childrenCpuMs: childrenCpuMs(ticksPerSecond) - startChildren,
    wallMs: performance.now() - startWall,
    sampleWallMs: samples > 0 ? sampleWallMs / samples : 0,
    note: loop.note,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

/** This file bundled to one .mjs beside node_modules (so its packages resolve), run by plain node in the children. */
async function bundleSelf(): Promise<string> {
  const self = fileURLToPath(import.meta.url);
  const outfile = path.resolve(path.dirname(self), '..', 'node_modules', '.cache', 'mai-bench', 'monitor.mjs');
  await build({
    entryPoints: [self],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

function spawnChild(bundle: string, kind: LoopKind, seconds: number, ticksPerSecond: number): Promise<LoopReport> {
  const args = [bundle, '--child', kind, String(seconds), String(ticksPerSecond)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = output.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as LoopReport);
      else reject(new Error(`${kind} child exited ${code}: ${output}`));
    });
  });
}

const percentOfCore = (r: LoopReport) => ((r.ownCpuMs + r.childrenCpuMs) / r.wallMs) * 100;
const cpuPerSampleMs = (r: LoopReport) => (r.ownCpuMs + r.childrenCpuMs) / Math.max(1, r.samples);

function printReports(seconds: number, reports: LoopReport[]): void {
  const byKind = new Map(reports.map((r) => [r.kind, r]));
  const labels: Record<LoopKind, string> = {
    idle: 'idle Node 1 Hz timer',
    mai: 'Mai monitor (+GPU, power)',
    si: 'naive si loop',
  };
  console.log(
    `Resource sampling at 1 Hz for ${seconds} s (after ${warmUpMs / 1000} s of warm-up), three loops side by side in separate processes`,
  );
  console.log(
    `machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}, ${os.platform()} ${os.release()}, Node ${process.version}`,
  );
  console.log('');
  const header = ['loop', 'samples', 'own CPU ms', 'children ms', '% of 1 core', 'CPU/sample ms', 'wall/sample ms'];
  console.log(header.map((h, i) => (i === 0 ? h.padEnd(28) : h.padStart(16))).join(''));
  for (const kind of ['idle', 'mai', 'si'] as const) {
    const r = byKind.get(kind);
    if (!r) continue;
    const cells = [r.samples, r.ownCpuMs.toFixed(1), r.childrenCpuMs.toFixed(1), percentOfCore(r).toFixed(3)];
    cells.push(cpuPerSampleMs(r).toFixed(3), r.sampleWallMs.toFixed(3));
    console.log(labels[kind].padEnd(28) + cells.map((c) => String(c).padStart(16)).join('') + `   (${r.note})`);
  }
  const mai = byKind.get('mai');
  const naive = byKind.get('si');
  const idle = byKind.get('idle');
  if (!mai || !naive || !idle) return;
  console.log('');
  console.log(`ratio naive si / Mai: ${(percentOfCore(naive) / percentOfCore(mai)).toFixed(1)}x`);
  console.log(`Mai above the idle timer: ${(percentOfCore(mai) - percentOfCore(idle)).toFixed(3)} % of one core`);
  const verdict = percentOfCore(mai) <= 0.1 ? 'met' : 'NOT met';
  console.log(`target Mai <= 0.1 % of one core: ${verdict} (${percentOfCore(mai).toFixed(3)} %)`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    await runChild(argv[1] as LoopKind, Number(argv[2]), Number(argv[3]));
    process.exit(0); // the si module and the GPU sampler may leave handles; the report is out
  }
  const seconds = Number(argv[0] ?? 60);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`seconds must be a positive number, got ${argv[0]}`);
  const ticksPerSecond = clockTicksPerSecond();
  const bundle = await bundleSelf();
  const kinds = ['idle', 'mai', 'si'] as const;
  const reports = await Promise.all(kinds.map((kind) => spawnChild(bundle, kind, seconds, ticksPerSecond)));
  printReports(seconds, reports);
  await printPowerChecks();
  printAttributionChecks();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
