/**
 * What never waking a sleeping GPU costs and saves, for bench/monitor.ts: the CPU of the checks (a runtime_status
 * read before each GPU read, a power_supply read every 30 s), measured in process, and how often the monitor asks
 * the GPU anything, counted on a scripted clock for a model on the GPU, none on it, and a sleeping card.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../src/brain/clock';
import { readRuntimeStatus } from '../../src/brain/resources/gpu/pciPower';
import { readLinuxPowerState } from '../../src/brain/resources/power/linuxPowerSupply';
import { ResourceMonitor } from '../../src/brain/resources/ResourceMonitor';
import type { GpuSampler } from '../../src/brain/resources/sampler';
import { sampleWith } from '../../src/brain/resources/testSamples';

const calls = 10_000;

function microsPerCall(work: () => unknown): number {
  for (let i = 0; i < 200; i += 1) work(); // warm-up: the first calls pay for lazy compiles
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
}

function scriptedLaptop(root: string): void {
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), `${content}\n`);
  };
  write('bus/pci/devices/0000:01:00.0/power/runtime_status', 'suspended');
  write('class/power_supply/AC/type', 'Mains');
  write('class/power_supply/AC/online', '0');
  write('class/power_supply/BAT0/type', 'Battery');
  write('class/power_supply/BAT0/status', 'Discharging');
  write('class/power_supply/BAT0/capacity', '24');
}

/** GPU reads the monitor makes in 60 one-second samples, on a scripted clock, with `inUse` and `asleep` as given. */
async function gpuQueriesPerMinute(inUse: boolean, asleep: boolean): Promise<number> {
  let wallMs = 0;
  const clock: Clock = { nowMs: () => wallMs, monotonicMs: () => wallMs };
  let queries = 0;
  // A sampler as NVML's behaves: a sleeping card is answered from memory, an awake one is asked.
  const gpu: GpuSampler = {
    read: () => {
      if (!asleep) queries += 1;
      return [];
    },
    close: () => undefined,
  };
  const { atMs: _atMs, gpus: _gpus, ...reading } = sampleWith();
  const monitor = new ResourceMonitor({
    host: { read: () => reading, close: () => undefined },
    gpu,
    clock,
    gpuInUse: () => inUse,
  });
  for (let second = 0; second < 60; second += 1) {
    await monitor.sampleNow();
    wallMs += 1000;
  }
  monitor.stop();
  return queries;
}

export async function printPowerChecks(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mai-bench-power-'));
  try {
    scriptedLaptop(root);
    const runtimeStatusUs = microsPerCall(() => readRuntimeStatus(root, '0000:01:00.0'));
    const powerLaptopUs = microsPerCall(() => readLinuxPowerState(root));
    const powerHereUs = microsPerCall(() => readLinuxPowerState('/sys'));
    console.log('');
    console.log(`Power-state checks (CPU per call, ${calls.toLocaleString('en')} calls each, in process)`);
    console.log(
      `  runtime_status before a GPU read:  ${runtimeStatusUs.toFixed(1)} µs  (per card per GPU read; at 1 Hz ${(runtimeStatusUs / 10_000).toFixed(4)} % of a core)`,
    );
    console.log(
      `  power_supply, scripted laptop:     ${powerLaptopUs.toFixed(1)} µs  (every 30 s: ${(powerLaptopUs / 300_000).toFixed(5)} % of a core)`,
    );
    console.log(`  power_supply, this machine's /sys: ${powerHereUs.toFixed(1)} µs`);
    const rows: [string, boolean, boolean][] = [
      ['a model on the GPU', true, false],
      ['no model on the GPU', false, false],
      ['card runtime-suspended', false, true],
    ];
    console.log('GPU queries per minute (scripted clock, 60 samples at 1 Hz)');
    for (const [label, inUse, asleep] of rows) {
      console.log(`  ${label.padEnd(24)} ${String(await gpuQueriesPerMinute(inUse, asleep)).padStart(3)}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
