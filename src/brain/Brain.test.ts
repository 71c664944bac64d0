import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatusSchema, type ResourceSample } from '../shared/contract';
import { createBrain, type Brain } from './Brain';

let brain: Brain | undefined;
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
});

describe('createBrain', () => {
  it.runIf(process.platform === 'linux')('answers status.get with the kernel’s own total memory', async () => {
    brain = createBrain();
    await brain.start();
    const result = await brain.invoke({ name: 'status.get', payload: {} });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const status = StatusSchema.parse(result.value);
    const memTotalKib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    expect(status.resources.memory.totalBytes).toBe(memTotalKib * 1024);
    expect(status.app).toEqual({ name: 'Mai', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('sends the latest sample first to a new subscriber, then each update, and nothing after unsubscribing', async () => {
    brain = createBrain({ sampleIntervalMs: 50 });
    await brain.start();
    const received: ResourceSample[] = [];
    const unsubscribe = brain.subscribe('resources.sample', (sample) => received.push(sample));
    expect(received).toHaveLength(1);
    await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(3));
    unsubscribe();
    const count = received.length;
    // A subscriber that stays sees three more samples; the one that left sees none of them.
    const later: ResourceSample[] = [];
    brain.subscribe('resources.sample', (sample) => later.push(sample));
    await vi.waitFor(() => expect(later.length).toBeGreaterThanOrEqual(4));
    expect(received).toHaveLength(count);
    const times = received.map((s) => s.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('returns a history window of samples', async () => {
    brain = createBrain({ sampleIntervalMs: 40 });
    await brain.start();
    await vi.waitFor(async () => {
      const result = await brain!.invoke({ name: 'resources.history', payload: { windowMs: 60_000 } });
      expect(result.ok && result.value.samples.length).toBeGreaterThanOrEqual(3);
    });
  });
});

describe('createBrain with configuration and tiers', () => {
  it('reports the tier from the hardware inventory with its reasons', async () => {
    brain = createBrain({
      maiHome: mkdtempSync(path.join(os.tmpdir(), 'mai-home-')),
      hardware: async () => ({
        totalMemoryBytes: 32 * 1024 ** 3,
        cpuCores: 8,
        gpus: [{ name: 'RTX 4070', vramTotalBytes: 12 * 1024 ** 3 }],
      }),
    });
    await brain.start();
    const result = await brain.invoke({ name: 'status.get', payload: {} });
    if (!result.ok) throw new Error(result.error.message);
    const status = StatusSchema.parse(result.value);
    expect(status.tier?.name).toBe('high_end');
    expect(status.tier?.reasons.join('\n')).toMatch(/RTX 4070/);
    expect(status.config.errors).toEqual([]);
  });

  it('keeps running on defaults when a user override is broken, and says so in status', async () => {
    const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    mkdirSync(path.join(maiHome, 'config'));
    const file = path.join(maiHome, 'config', 'resource_tiers.yaml');
    writeFileSync(file, 'tiers:\n  mid_range:\n    cpu_cores:\n      min: many\n');
    brain = createBrain({
      maiHome,
      hardware: async () => ({ totalMemoryBytes: 6 * 1024 ** 3, cpuCores: 4, gpus: [] }),
    });
    await brain.start();
    const result = await brain.invoke({ name: 'status.get', payload: {} });
    if (!result.ok) throw new Error(result.error.message);
    const status = StatusSchema.parse(result.value);
    expect(status.tier?.name).toBe('mid_range');
    expect(status.config.errors).toEqual([
      expect.objectContaining({ file, line: 4, path: 'tiers.mid_range.cpu_cores.min' }),
    ]);
    expect(status.config.errors[0]?.message).toContain('"many"');
  });

  it('leaves the tier unknown, not Mai stopped, when the inventory cannot be read', async () => {
    brain = createBrain({
      maiHome: mkdtempSync(path.join(os.tmpdir(), 'mai-home-')),
      hardware: async () => {
        throw new Error('systeminformation timed out');
      },
    });
    await brain.start();
    const result = await brain.invoke({ name: 'status.get', payload: {} });
    expect(result).toMatchObject({ ok: true, value: { tier: null } });
  });
});
