/**
 * Stepping aside for a neighbour (issue 19), end to end with real parts: the embedded engine on the fixtures, a real
 * program taking a GiB fast and then closing or letting go, the real process table. Only the machine's memory
 * figure is scripted (a GiB is not pressure on this 24 GiB machine), and its CPU is Mai's alone (other agents'
 * tests share these cores and would switch Mai down for the CPU first).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { memoryHogBody, onFastMachine, scenarioParts } from '../../../test/fastMachine';
import { fixtureModelPath, sharedModelsDir } from '../../../test/fixtures';
import type { Decision } from '../../shared/contract';
import { createBrain } from '../Brain';
import { EmbeddedBackend } from '../backends/embedded/EmbeddedBackend';
import { createHostSampler } from '../resources/hostSampler';
import { OverlayHostSampler } from '../resources/OverlayHostSampler';
import { ProcessTable } from '../resources/processTable';
import { noGpuSampler } from '../resources/sampler';
import { ramMarginBytes } from './fit';

const gib = 1024 ** 3;
const entry = (key: string, category: string) =>
  `  - { key: ${key}, display_name: ${key}, category: ${category}, min_memory_gb: 0, min_vram_gb: 0, context_window: 2048, capabilities: [chat], fallback: [] }\n`;

const { programs, brains: running } = scenarioParts();

/** A mid-range machine whose memory figure comes from a file; `models` is the folder the embedded engine reads. */
async function started(modelsDir: string, modelsYaml: string) {
  const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-aside-'));
  mkdirSync(path.join(maiHome, 'config'));
  writeFileSync(path.join(maiHome, 'config', 'models.yaml'), `models:\n${modelsYaml}`);
  const pressureFile = path.join(maiHome, 'pressure.json');
  const { machine, deps } = onFastMachine(new OverlayHostSampler(createHostSampler(), pressureFile), true);
  const brain = createBrain({
    maiHome,
    gpuSampler: noGpuSampler,
    hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
    backends: [new EmbeddedBackend({ modelsDirs: [modelsDir], threads: 2, gpu: false })],
    ...deps,
  });
  running.push(brain);
  await brain.start();
  const decisions: Decision[] = [];
  brain.subscribe('model.decision', (decision) => decisions.push(decision));
  const memoryAt = (percent: number) => writeFileSync(pressureFile, JSON.stringify({ memoryUsedPercent: percent }));
  const decision = (found: (d: Decision) => boolean) =>
    vi.waitFor(
      () => {
        const match = decisions.find(found);
        expect(match).toBeDefined();
        return match as Decision;
      },
      { timeout: 40_000, interval: 100 },
    );
  const current = async () => {
    const status = await brain.invoke({ name: 'status.get', payload: {} });
    return status.ok ? status.value.model.current?.key : undefined;
  };
  return { brain, machine, decisions, memoryAt, decision, current };
}

/** The hog at a GiB: more than any other program on this shared machine grows by in a test's time. */
async function hogAtOneGib() {
  const hog = programs.start('mai-memory-hog', memoryHogBody, ['--expose-gc']);
  const table = new ProcessTable();
  await vi.waitFor(() => expect(table.read(hog.pid ?? 0)?.rssBytes).toBeGreaterThan(gib), {
    timeout: 20_000,
    interval: 100,
  });
  return { hog, table };
}

describe('Mai steps aside for a program that takes memory fast', () => {
  it('moves to the smallest model, names the program, and comes back when it closes', async () => {
    const mai = await started(
      sharedModelsDir(),
      entry('llama-2-tiny-random', 'medium') + entry('stories260K', 'small'),
    );
    await mai.brain.chat('Once upon a time');
    expect(await mai.current()).toBe('llama-2-tiny-random');

    const { hog } = await hogAtOneGib();
    // Over the 80 % threshold, with room for stories260K beside the safety margin once llama-2-tiny-random is gone.
    const total = os.totalmem();
    const justRoomPercent = Math.floor(100 * (1 - (ramMarginBytes(total) + 256 * 1024 ** 2) / total));
    expect(justRoomPercent).toBeGreaterThan(80);
    mai.memoryAt(justRoomPercent);
    const aside = await mai.decision((d) => d.kind === 'aside');
    expect(aside).toMatchObject({ from: 'llama-2-tiny-random', to: 'stories260K', trigger: 'sustained_memory' });
    expect(aside.reason).toMatch(
      /^made room for mai-memory-hog: memory at \d+ % \([^)]*mai-memory-hog \+[\d.]+ GiB in \d+ s[^)]*\) has been above 80 %/,
    );
    expect(aside.reason).toContain(
      'moved to the smallest model that fits, stories260K, until mai-memory-hog gives its memory back',
    );
    expect(aside.figures.neighbourGrewBytes).toBeGreaterThan(gib);

    // Memory clears while the program still holds its GiB: Mai stays aside, with no upgrade meanwhile, for longer
    // (on the machine's clock) than the scaler's cooldown and the calm an upgrade waits for.
    mai.memoryAt(40);
    const calmFromMs = mai.machine.clock.nowMs();
    await vi.waitFor(() => expect(mai.machine.clock.nowMs() - calmFromMs).toBeGreaterThan(200_000), {
      timeout: 30_000,
      interval: 100,
    });
    expect(mai.decisions.filter((d) => d.atMs > aside.atMs)).toEqual([]);

    hog.kill('SIGKILL');
    const back = await mai.decision((d) => d.trigger === 'neighbour_receded');
    expect(back).toMatchObject({ kind: 'switch', from: 'stories260K', to: 'llama-2-tiny-random' });
    // The model's measured memory from its first load follows, as in every decision that loads it.
    expect(back.reason).toMatch(
      /^mai-memory-hog has closed \(memory at 40 %\): back to llama-2-tiny-random; measured [\d.]+ MiB at its last load$/,
    );
    expect(await mai.current()).toBe('llama-2-tiny-random');
  }, 90_000);

  it('unloads where nothing smaller fits, and reloads once the program lets go of its memory', async () => {
    const onlyOne = mkdtempSync(path.join(os.tmpdir(), 'mai-aside-models-'));
    symlinkSync(fixtureModelPath('llamaTinyRandom'), path.join(onlyOne, 'llama-2-tiny-random.gguf'));
    const mai = await started(onlyOne, entry('llama-2-tiny-random', 'medium'));
    await mai.brain.chat('Once upon a time');

    const { hog, table } = await hogAtOneGib();
    mai.memoryAt(90);
    const aside = await mai.decision((d) => d.kind === 'aside');
    expect(aside).toMatchObject({ from: 'llama-2-tiny-random', to: null });
    expect(aside.reason).toMatch(/^made room for mai-memory-hog: /);
    expect(aside.reason).toContain(
      'no smaller model fits, so llama-2-tiny-random is unloaded until mai-memory-hog gives its memory back',
    );
    expect(await mai.current()).toBeUndefined();

    // The program lets go of its GiB but keeps running; memory clears with it.
    hog.kill('SIGUSR2');
    await vi.waitFor(() => expect(table.read(hog.pid ?? 0)?.rssBytes).toBeLessThan(gib / 2), { timeout: 10_000 });
    mai.memoryAt(40);
    const back = await mai.decision((d) => d.trigger === 'neighbour_receded');
    expect(back).toMatchObject({ kind: 'switch', from: null, to: 'llama-2-tiny-random' });
    expect(back.reason).toMatch(
      /^mai-memory-hog gave back [\d.]+ (GiB|MiB) \(memory at 40 %\): back to llama-2-tiny-random; measured /,
    );
    expect(await mai.current()).toBe('llama-2-tiny-random');
  }, 90_000);
});
