import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
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

  it('sends the latest sample first to a new subscriber, then each update', async () => {
    brain = createBrain({ sampleIntervalMs: 50 });
    await brain.start();
    const received: ResourceSample[] = [];
    const unsubscribe = brain.subscribe('resources.sample', (sample) => received.push(sample));
    expect(received).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 180));
    unsubscribe();
    const count = received.length;
    expect(count).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(received).toHaveLength(count);
    const times = received.map((s) => s.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('returns a history window of samples', async () => {
    brain = createBrain({ sampleIntervalMs: 40 });
    await brain.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const result = await brain.invoke({ name: 'resources.history', payload: { windowMs: 60_000 } });
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.value as { samples: unknown[] }).samples.length).toBeGreaterThanOrEqual(3);
  });
});
