/** The monitor's figures against the kernel's own, on this machine, with the real samplers. */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceSampleSchema } from '../../shared/contract';
import { systemClock } from '../clock';
import { createGpuSampler } from './gpu/createGpuSampler';
import { createHostSampler } from './hostSampler';
import { ResourceMonitor } from './ResourceMonitor';

function memInfoKib(field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'));
  if (!match?.[1]) throw new Error(`/proc/meminfo has no ${field}`);
  return Number(match[1]);
}

/** The CPUs /proc/stat accounts for (the denominator of its percent), which may exceed this process's affinity. */
function procStatCpuCount(): number {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => /^cpu\d+ /.test(line)).length;
}

/** Worker threads spinning until released: real CPU load, in this process so its CPU time can be measured. */
async function spin(threads: number): Promise<() => Promise<void>> {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    parentPort.postMessage('spinning');
    let x = 0;
    while (Atomics.load(workerData, 0) === 0) x += Math.sqrt(x + 1);`;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: stopFlag }));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  return async () => {
    Atomics.store(stopFlag, 0, 1);
    await Promise.all(workers.map((worker) => worker.terminate()));
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let monitor: ResourceMonitor | undefined;
afterEach(() => {
  monitor?.stop();
  monitor = undefined;
});

function realMonitor(): ResourceMonitor {
  return new ResourceMonitor({ host: createHostSampler(), gpu: createGpuSampler(), clock: systemClock });
}

describe.runIf(process.platform === 'linux')('ResourceMonitor against the kernel', () => {
  it('reports total memory exactly as MemTotal, and available within 5 % of MemAvailable read with it', async () => {
    monitor = realMonitor();
    const sample = ResourceSampleSchema.parse(await monitor.sampleNow());
    const memAvailableBytes = memInfoKib('MemAvailable') * 1024;
    expect(sample.memory.totalBytes).toBe(memInfoKib('MemTotal') * 1024);
    expect(Math.abs(sample.memory.availableBytes - memAvailableBytes)).toBeLessThanOrEqual(0.05 * memAvailableBytes);
    expect(sample.swap.totalBytes).toBe(memInfoKib('SwapTotal') * 1024);
    expect(sample.memory.maiBytes).toBeGreaterThan(0);
  });

  it('reports CPU within [0, 100], rising under a busy loop to at least the CPU the loop burned', async () => {
    monitor = realMonitor();
    const cpuCount = procStatCpuCount();
    const periodMs = 1500;

    await monitor.sampleNow();
    await sleep(periodMs);
    const idle = (await monitor.sampleNow()).cpu.percent;

    // One spinning thread per CPU: on a 2-core machine that is near 100 %, far from any idle reading.
    const release = await spin(cpuCount);
    try {
      await monitor.sampleNow();
      const cpuBefore = process.cpuUsage();
      const startedMs = performance.now();
      await sleep(periodMs);
      const busy = (await monitor.sampleNow()).cpu.percent;
      const burnedUs = process.cpuUsage(cpuBefore);
      const elapsedMs = performance.now() - startedMs;

      // This process alone used this share of the machine over the same interval; the monitor must see at least
      // that much (less 10 points for jiffy rounding and the few ms between the readings), whatever else runs.
      const ownPercent = ((burnedUs.user + burnedUs.system) / 1000 / (elapsedMs * cpuCount)) * 100;
      for (const percent of [idle, busy]) expect(percent >= 0 && percent <= 100).toBe(true);
      expect(ownPercent).toBeGreaterThan(25); // the spin really ran, even sharing the machine with other tests
      expect(busy).toBeGreaterThanOrEqual(Math.min(100, ownPercent) - 10);
      // Rising: unless other work already saturated the machine in the idle period, busy is clearly above it.
      if (idle < 80) expect(busy).toBeGreaterThan(idle + 15);
    } finally {
      await release();
    }
  });

  it('samples with no GPU here as gpus: [], never an error', async () => {
    monitor = realMonitor();
    await monitor.start();
    const sample = ResourceSampleSchema.parse(monitor.snapshot());
    expect(Array.isArray(sample.gpus)).toBe(true);
  });
});
