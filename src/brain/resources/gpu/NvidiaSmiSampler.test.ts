import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../logger';
import { NvidiaSmiSampler, type NvidiaSmiSamplerOptions } from './NvidiaSmiSampler';

/** A scripted stand-in for nvidia-smi: a real child process, so spawning, pipes, kills and restarts are real. */
function standIn(script: string, options: NvidiaSmiSamplerOptions = {}): NvidiaSmiSampler {
  return new NvidiaSmiSampler({ command: process.execPath, args: ['-e', script], ...options });
}

/** Resolves once `condition` holds, polling without asserting a duration (vitest's own timeout bounds it). */
function waitFor(condition: () => boolean): Promise<void> {
  return vi.waitFor(
    () => {
      if (!condition()) throw new Error('not yet');
    },
    { timeout: 10_000, interval: 20 },
  );
}

/** The waits the sampler chose before each restart, from its log: what its backoff does, without timing it. */
function restartDelays(): Logger & { delaysMs: number[] } {
  const delaysMs: number[] = [];
  const record = (message: string, fields?: Record<string, unknown>) => {
    if (message.includes('restarting later')) delaysMs.push(Number(fields?.delayMs));
  };
  return { delaysMs, info: record, warn: record, error: record };
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

  it('restarts a child that keeps exiting with growing waits up to the cap, never throwing', async () => {
    const logger = restartDelays();
    sampler = standIn(`process.exit(9)`, { restartBackoffMs: 10, maxRestartBackoffMs: 40, logger });
    await waitFor(() => logger.delaysMs.length >= 5);
    expect(logger.delaysMs.slice(0, 5)).toEqual([10, 20, 40, 40, 40]);
    // One start per wait, and the first one before any: a restart may be waiting or running right now.
    expect(sampler.startCount - logger.delaysMs.length).toBeGreaterThanOrEqual(0);
    expect(sampler.startCount - logger.delaysMs.length).toBeLessThanOrEqual(1);
    expect(sampler.read()).toEqual([]);
  });

  it('answers [] when the command does not exist, and tries again later', async () => {
    const logger = restartDelays();
    sampler = new NvidiaSmiSampler({ command: '/nonexistent/nvidia-smi', restartBackoffMs: 50, logger });
    await waitFor(() => logger.delaysMs.length >= 1);
    expect(sampler.read()).toEqual([]);
  });

  it('kills its child on close and starts no other', async () => {
    // The sampler's own timers (watchdog, restart waits) are fake from its start; the child and its pipe are real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      sampler = standIn(`setInterval(() => process.stdout.write('0, Tesla T4, 15360, 0, 15360, 0, 30\\n'), 20);`);
      await waitFor(() => sampler?.read().length === 1);
      const pid = sampler.pid as number;
      sampler.close();
      await waitFor(() => !isAlive(pid));
      // Far past any restart wait or watchdog check: a timer left behind would have started another child.
      vi.advanceTimersByTime(60_000);
      expect(sampler.startCount).toBe(1);
      expect(sampler.pid).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs no nvidia-smi while the card sleeps, starts it when the card wakes, stops it when it sleeps again', async () => {
    const sysfs = mkdtempSync(path.join(os.tmpdir(), 'mai-sys-'));
    const power = path.join(sysfs, 'bus', 'pci', 'devices', '0000:01:00.0', 'power');
    mkdirSync(power, { recursive: true });
    const status = (text: string) => writeFileSync(path.join(power, 'runtime_status'), `${text}\n`);
    try {
      status('suspended');
      const script = `setInterval(() => process.stdout.write('0, RTX 4060 Laptop GPU, 8188, 600, 7588, 3, 45\\n'), 20);`;
      // The watchdog's tick is where sleep is checked: every 25 ms here.
      sampler = standIn(script, { sysfsRoot: sysfs, pciAddresses: ['0000:01:00.0'], watchdogMs: 100 });
      expect(sampler.startCount).toBe(0);
      expect(sampler.paused).toBe(true);
      expect(sampler.read()).toEqual([]);

      status('active');
      await waitFor(() => sampler?.read().length === 1);
      expect(sampler.read()[0]).toMatchObject({ vramUsedBytes: 600 * 1024 ** 2, utilizationPercent: 3 });
      expect(sampler.read()[0]?.asleep).toBeUndefined();
      const pid = sampler.pid as number;

      status('suspended');
      await waitFor(() => !isAlive(pid));
      expect(sampler.pid).toBeUndefined();
      expect(sampler.read()[0]).toMatchObject({ vramUsedBytes: 600 * 1024 ** 2, asleep: true, stale: true });
      expect(sampler.startCount).toBe(1);
    } finally {
      rmSync(sysfs, { recursive: true, force: true });
    }
  });
});
