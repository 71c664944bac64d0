/**
 * Cheaper steps than a switch, end to end on the real engine: a KV-heavy random-weight llama (medium: 16 layers, 256
 * MiB of f16 cache at its 4,096-token working window) and stories260K (small). The machine's memory is scripted for
 * other programs and real for Mai itself (its RSS, where the embedded engine lives), so what a step frees shows.
 */
import { mkdirSync, mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureModelPath } from '../../test/fixtures';
import { writeKvHeavyModel } from '../../test/gguf/kvHeavyModel';
import { eventually } from '../../test/scriptedMachine';
import type { Decision } from '../shared/contract';
import { createBrain, type Brain } from './Brain';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import type { Clock } from './clock';
import type { HostSampler, ResourceReadingWithoutGpus } from './resources/sampler';
import { noGpuSampler } from './resources/sampler';

const gib = 1024 ** 3;

/**
 * 4 GiB in all: other programs' share is scripted, Mai's is its real RSS. Each sample is one simulated second. At
 * 4 GiB, 3 points (the margin a step aims below the threshold) are 123 MiB: less than a step frees here.
 */
class MachineWithRealMai implements HostSampler {
  readonly totalBytes = 4 * gib;
  private simulatedMs = Date.UTC(2026, 10, 22, 9, 0, 0);
  private othersBytes = 0;

  readonly clock: Clock = { nowMs: () => this.simulatedMs, monotonicMs: () => this.simulatedMs };

  /** Other programs take what brings memory use to `percent` as of now; later Mai's own changes show on top. */
  setUsedPercent(percent: number): void {
    this.othersBytes = (this.totalBytes * percent) / 100 - process.memoryUsage.rss();
  }

  read(): ResourceReadingWithoutGpus {
    this.simulatedMs += 1000;
    const used = Math.min(this.totalBytes, Math.max(0, this.othersBytes + process.memoryUsage.rss()));
    return {
      cpu: { percent: 10, cores: 4 },
      memory: {
        totalBytes: this.totalBytes,
        availableBytes: this.totalBytes - used,
        usedPercent: (used / this.totalBytes) * 100,
        maiBytes: process.memoryUsage.rss(),
      },
      swap: { totalBytes: 0, usedBytes: 0 },
    };
  }

  close(): void {}
}

const modelsYaml = `models:
  - key: kv-heavy
    display_name: KV-heavy llama
    category: medium
    min_memory_gb: 0
    min_vram_gb: 0
    context_window: 8192
    capabilities: [chat]
    fallback: [stories260K]
  - key: stories260K
    display_name: stories260K
    category: small
    min_memory_gb: 0
    min_vram_gb: 0
    context_window: 2048
    capabilities: [chat]
    fallback: []
`;

let brain: Brain | undefined;
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
});

describe('Mai under memory pressure, step by step', () => {
  it('first shrinks the window (recorded, measured within 10 % of the estimate), gives it back, and switches only under deeper pressure', async () => {
    const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-relief-'));
    const modelsDir = path.join(maiHome, 'models');
    mkdirSync(path.join(maiHome, 'config'));
    mkdirSync(modelsDir);
    writeFileSync(path.join(maiHome, 'config', 'models.yaml'), modelsYaml);
    writeKvHeavyModel(modelsDir, { layers: 16 });
    copyFileSync(fixtureModelPath('stories260K'), path.join(modelsDir, 'stories260K.gguf'));
    const machine = new MachineWithRealMai();
    machine.setUsedPercent(30);
    brain = createBrain({
      maiHome,
      hostSampler: machine,
      gpuSampler: noGpuSampler,
      powerSampler: { read: () => ({ source: 'ac', batteryPercent: null }), close: () => undefined },
      clock: machine.clock,
      // 25 ms of real time per simulated second: the 10 s of sustained pressure take a quarter of a second.
      sampleIntervalMs: 25,
      hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
      backends: [new EmbeddedBackend({ modelsDirs: [modelsDir], threads: 1, gpu: false })],
    });
    await brain.start();
    const decisions: Decision[] = [];
    brain.subscribe('model.decision', (decision) => decisions.push(decision));
    const first = await brain.chat('Once upon a time');
    expect(first.model.key).toBe('kv-heavy');

    // Just over mid_range's 80 %: a smaller window frees enough, and costs less than anything else.
    machine.setUsedPercent(80.5);
    const step = await eventually(
      () => decisions.find((d) => d.kind === 'step' && d.trigger === 'sustained_memory'),
      20_000,
      'a relief step',
    );
    expect(step).toMatchObject({ from: 'kv-heavy', to: 'kv-heavy' });
    // The window the conversation still fits (the random model's answer is long: over a thousand tokens).
    expect(step.reason).toMatch(
      /^kv-heavy: memory at 80\.5 % has been above 80 % for \d+ s; a \d+-token window instead of 4096 frees ~[\d.]+ MiB \(estimate\), [\d.]+ MiB of RAM needed, at a cost of \d+ s; cheaper than the KV cache in q4_0/,
    );
    const { estimatedSavingBytes = 0, measuredSavingBytes = 0, contextLength = 0, lostTokens } = step.figures;
    expect(contextLength).toBeGreaterThanOrEqual(1024);
    expect(contextLength).toBeLessThan(4096);
    expect(lostTokens).toBe(0);
    expect(estimatedSavingBytes).toBeGreaterThanOrEqual(step.figures.neededBytes ?? Infinity);
    expect(estimatedSavingBytes).toBeGreaterThan(100 * 2 ** 20);
    expect(Math.abs(measuredSavingBytes - estimatedSavingBytes)).toBeLessThanOrEqual(0.1 * estimatedSavingBytes);
    expect(decisions.some((d) => d.kind === 'switch')).toBe(false);
    console.log(
      `step: estimated ${(estimatedSavingBytes / 2 ** 20).toFixed(1)} MiB, measured ${(measuredSavingBytes / 2 ** 20).toFixed(1)} MiB`,
    );

    // Pressure clears: the window comes back before anything else.
    machine.setUsedPercent(40);
    const back = await eventually(
      () => decisions.find((d) => d.kind === 'step' && d.trigger === 'pressure_cleared'),
      30_000,
      'the step given back',
    );
    expect(back.reason).toContain(`giving back a ${contextLength}-token window instead of 4096`);
    expect(back.figures.contextLength).toBe(4096);

    // Far over the line: no step frees that much, so Mai switches, and says why not a step.
    machine.setUsedPercent(96);
    const switched = await eventually(
      () => decisions.find((d) => d.kind === 'switch' && d.trigger === 'sustained_memory'),
      30_000,
      'a switch under deeper pressure',
    );
    expect(switched).toMatchObject({ from: 'kv-heavy', to: 'stories260K' });
    expect(switched.reason).toContain('no cheaper step frees');
  }, 120_000);
});
