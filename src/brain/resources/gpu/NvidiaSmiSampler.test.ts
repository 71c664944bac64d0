import { afterEach, describe, expect, it } from 'vitest';
import { NvidiaSmiSampler, type NvidiaSmiSamplerOptions } from './NvidiaSmiSampler';

/** A scripted stand-in for nvidia-smi: a real child process, so spawning, pipes, kills and restarts are real. */
function standIn(script: string, options: NvidiaSmiSamplerOptions = {}): NvidiaSmiSampler {
  return new NvidiaSmiSampler({ command: process.execPath, args: ['-e', script], ...options });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let sampler: NvidiaSmiSampler | undefined;
afterEach(() => {
  sampler?.close();
  sampler = undefined;
});

describe('NvidiaSmiSampler', () => {
  it('reads the latest figures per GPU from one long-lived stream, lines split across chunks', async () => {
    // Writes each block in two chunks cut mid-line, as a pipe may deliver it; used memory grows each second.
    const script = `
      let used = 100;
      const tick = () => {
        const block = '1, Tesla T4, 15360, 7, 15353, 0, 30\\n0, NVIDIA GeForce RTX 4090, 24564, ' + used + ', ' + (24564 - used) + ', 50, 60\\n';
        process.stdout.write(block.slice(0, 20));
        setTimeout(() => process.stdout.write(block.slice(20)), 10);
        used += 100;
      };
      tick();
      setInterval(tick, 50);`;
    sampler = standIn(script);
    await waitFor(() => (sampler?.read()[0]?.vramUsedBytes ?? 0) >= 300 * 1024 * 1024);
    const gpus = sampler.read();
    expect(gpus.map((g) => [g.index, g.name])).toEqual([
      [0, 'NVIDIA GeForce RTX 4090'],
      [1, 'Tesla T4'],
    ]);
    expect(sampler.startCount).toBe(1);
  });

  it('kills a child gone silent and starts another (the watchdog), keeping the last figures meanwhile', async () => {
    const script = `process.stdout.write('0, Tesla T4, 15360, 360, 15000, 5, 40\\n'); setInterval(() => {}, 1000);`;
    sampler = standIn(script, { watchdogMs: 300, restartBackoffMs: 50 });
    await waitFor(() => sampler?.read().length === 1);
    const firstPid = sampler.pid;
    expect(firstPid).toBeGreaterThan(0);
    await waitFor(() => (sampler?.startCount ?? 0) >= 2);
    await waitFor(() => !isAlive(firstPid as number));
    expect(sampler.read()[0]?.name).toBe('Tesla T4');
  });

  it('restarts a child that keeps exiting with growing waits, never throwing', async () => {
    sampler = standIn(`process.exit(9)`, { restartBackoffMs: 40, maxRestartBackoffMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // Waits of 40, 80, 160, 320, 640 ms: about five starts in 1.2 s, where a fixed 40 ms would give ~20.
    expect(sampler.startCount).toBeGreaterThanOrEqual(3);
    expect(sampler.startCount).toBeLessThanOrEqual(7);
    expect(sampler.read()).toEqual([]);
  });

  it('answers [] when the command does not exist', async () => {
    sampler = new NvidiaSmiSampler({ command: '/nonexistent/nvidia-smi', restartBackoffMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sampler.read()).toEqual([]);
  });

  it('kills its child on close and starts no other', async () => {
    sampler = standIn(`setInterval(() => process.stdout.write('0, Tesla T4, 15360, 0, 15360, 0, 30\\n'), 20);`);
    await waitFor(() => sampler?.read().length === 1);
    const pid = sampler.pid as number;
    sampler.close();
    await waitFor(() => !isAlive(pid));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sampler.startCount).toBe(1);
    expect(sampler.pid).toBeUndefined();
  });
});
