/**
 * Mai end to end on the real engine and the two fixture models, configured as a "larger" (llama-2-tiny-random,
 * medium) and a "smaller" model (stories260K, small). Only the machine's memory figures are scripted.
 */
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../test/fixtures';
import { eventually, ScriptedMachine } from '../../test/scriptedMachine';
import type { Decision } from '../shared/contract';
import { createBrain, type Brain } from './Brain';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { createLmStudioBackend } from './backends/lmstudio';
import type { ModelBackend } from './backends/ModelBackend';
import { noGpuSampler } from './resources/sampler';
import { startLmStudioServer, type RunningServer } from '../../test/lmstudio-server';

const gib = 1024 ** 3;

function modelsYaml(entries: { key: string; category: string; fallback: string[] }[]): string {
  return `models:\n${entries
    .map(
      (e) => `  - key: ${e.key}
    display_name: ${e.key}
    category: ${e.category}
    min_memory_gb: 0
    min_vram_gb: 0
    context_window: 2048
    capabilities: [chat]
    fallback: [${e.fallback.join(', ')}]`,
    )
    .join('\n')}\n`;
}

const fixtureModels = modelsYaml([
  { key: 'llama-2-tiny-random', category: 'medium', fallback: ['stories260K'] },
  { key: 'stories260K', category: 'small', fallback: [] },
]);

interface Scenario {
  brain: Brain;
  machine: ScriptedMachine;
  decisions: Decision[];
  maiHome: string;
}

let running: { brain: Brain; server?: RunningServer }[] = [];
afterEach(async () => {
  for (const { brain, server } of running) {
    await brain.shutdown();
    await server?.close();
  }
  running = [];
});

/** A mid-range machine (8 GiB, 4 cores, no GPU: it prefers medium models) with scripted memory pressure. */
async function scenario(options: { modelsYamlText?: string; backends?: (maiHome: string) => ModelBackend[] } = {}) {
  const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-scenario-'));
  mkdirSync(path.join(maiHome, 'config'));
  mkdirSync(path.join(maiHome, 'models'));
  writeFileSync(path.join(maiHome, 'config', 'models.yaml'), options.modelsYamlText ?? fixtureModels);
  const machine = new ScriptedMachine({ memoryUsedPercent: 30 });
  const backends = options.backends?.(maiHome) ?? [
    new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false }),
  ];
  const brain = createBrain({
    maiHome,
    hostSampler: machine,
    gpuSampler: noGpuSampler,
    clock: machine.clock,
    // 25 ms of real time per simulated second: a minute of pressure plays out in 1.5 s.
    sampleIntervalMs: 25,
    hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
    backends,
  });
  running.push({ brain });
  await brain.start();
  const decisions: Decision[] = [];
  brain.subscribe('model.decision', (decision) => decisions.push(decision));
  return { brain, machine, decisions, maiHome, backends } satisfies Scenario & { backends: ModelBackend[] };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSONL records read back for assertions
function records(maiHome: string): any[] {
  const dir = path.join(maiHome, 'conversations');
  const [file] = readdirSync(dir);
  return readFileSync(path.join(dir, file ?? ''), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('Mai under pressure (b)', () => {
  it('switches down when memory stays high, answers with the smaller model, and switches back after the cooldown', async () => {
    const { brain, machine, decisions, maiHome } = await scenario();
    const first = await brain.chat('Explain step by step why the sky is blue, and compare it with sunsets.');
    expect(first.model.key).toBe('llama-2-tiny-random');

    machine.memoryUsedPercent = 90;
    const down = await eventually(
      () => decisions.find((d) => d.trigger === 'sustained_memory'),
      15_000,
      'a switch down',
    );
    expect(down).toMatchObject({ from: 'llama-2-tiny-random', to: 'stories260K' });
    expect(down.figures.memoryPercent).toBe(90);

    const second = await brain.chat('Once upon a time');
    expect(second.model.key).toBe('stories260K');
    expect(second.text.length).toBeGreaterThan(0);

    // The whole conversation is on disk, each answer with the model that wrote it, and the prompt the smaller
    // model saw fitted its window.
    const onDisk = records(maiHome);
    const messages = onDisk.filter((r) => r.type === 'message') as { role: string; model?: { key: string } }[];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messages.map((m) => m.model?.key)).toEqual([undefined, 'llama-2-tiny-random', undefined, 'stories260K']);
    const lastContext = onDisk.filter((r) => r.type === 'context').at(-1) as {
      model: { key: string };
      promptTokens: number;
      reserveForAnswerTokens: number;
      windowTokens: number;
    };
    expect(lastContext.model.key).toBe('stories260K');
    expect(lastContext.promptTokens + lastContext.reserveForAnswerTokens).toBeLessThanOrEqual(lastContext.windowTokens);
    expect(onDisk.some((r) => r.type === 'switch' && r.trigger === 'sustained_memory')).toBe(true);
    // The conversation was fitted to the smaller model at the switch itself, before the next message.
    const switchAt = onDisk.findIndex((r) => r.type === 'switch' && r.trigger === 'sustained_memory');
    expect(onDisk[switchAt + 1]).toMatchObject({ type: 'context', model: { key: 'stories260K' } });

    machine.memoryUsedPercent = 30;
    const up = await eventually(() => decisions.find((d) => d.trigger === 'pressure_cleared'), 20_000, 'a switch up');
    expect(up).toMatchObject({ from: 'stories260K', to: 'llama-2-tiny-random' });
    const lastSwitchBefore = decisions.filter((d) => d.to === 'stories260K').at(-1);
    expect(up.atMs - (lastSwitchBefore?.atMs ?? 0)).toBeGreaterThanOrEqual(60_000);
  });
});

describe('Mai when nothing fits', () => {
  it('degrades to the smallest model with a smaller window, and says so', async () => {
    const { brain, machine } = await scenario();
    machine.memoryUsedPercent = 95;
    const answer = await brain.chat('Explain step by step why the sky is blue, and compare it with sunsets.');
    expect(answer.model.key).toBe('stories260K');
    expect(answer.switches[0]).toMatchObject({ trigger: 'degraded', to: 'stories260K' });
    expect(answer.switches[0]?.reason).toContain('1024-token window');
    const status = await brain.invoke({ name: 'status.get', payload: {} });
    expect(status).toMatchObject({
      ok: true,
      value: {
        model: { current: { key: 'stories260K', contextLength: 1024 }, reason: expect.stringContaining('1024') },
      },
    });
  });
});

describe('Mai preloading', () => {
  it('preloads beside the current model when there is room, so the switch needs no load, and refuses under pressure', async () => {
    const { brain, machine, backends } = await scenario();
    const engine = backends[0] as EmbeddedBackend;
    await brain.chat('Explain step by step why the sky is blue, and compare it with sunsets.');
    machine.memoryUsedPercent = 85;
    expect(await brain.invoke({ name: 'models.preload', payload: { key: 'stories260K' } })).toMatchObject({
      ok: true,
      value: { preloading: false, reason: expect.stringMatching(/not preloading stories260K/) },
    });
    machine.memoryUsedPercent = 30;
    expect(await brain.invoke({ name: 'models.preload', payload: { key: 'stories260K' } })).toMatchObject({
      ok: true,
      value: { preloading: true },
    });
    const loadedKeys = async () => (await engine.listLoaded()).map((m) => m.key).sort();
    await eventually(async () => ((await loadedKeys()).length === 2 ? true : undefined), 10_000, 'the preload');
    expect(await loadedKeys()).toEqual(['llama-2-tiny-random', 'stories260K']);
    const preloadedIdentifier = (await engine.listLoaded()).find((m) => m.key === 'stories260K')?.identifier;

    await brain.invoke({ name: 'models.switch', payload: { key: 'stories260K' } });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model.key).toBe('stories260K');
    // The preloaded instance took over: the old model is gone and no second copy was loaded.
    expect(await engine.listLoaded()).toEqual([
      expect.objectContaining({ key: 'stories260K', identifier: preloadedIdentifier }),
    ]);
  });
});

describe('Mai when a model fails (c)', () => {
  it('answers with the fallback when the chosen model’s file turns out corrupt at load', async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'mai-broken-'));
    const broken = path.join(modelsDir, 'broken-medium.gguf');
    copyFileSync(path.join(sharedModelsDir(), 'llama-2-tiny-random.gguf'), broken);
    copyFileSync(path.join(sharedModelsDir(), 'stories260K.gguf'), path.join(modelsDir, 'stories260K.gguf'));
    // A whole-second time, so it can be put back exactly after the file is damaged.
    const fileTime = new Date(Date.UTC(2026, 0, 1));
    utimesSync(broken, fileTime, fileTime);
    const { brain, decisions } = await scenario({
      modelsYamlText: modelsYaml([
        { key: 'broken-medium', category: 'medium', fallback: ['stories260K'] },
        { key: 'stories260K', category: 'small', fallback: [] },
      ]),
      backends: () => [new EmbeddedBackend({ modelsDirs: [modelsDir], threads: 1, gpu: false })],
    });
    const listed = await brain.invoke({ name: 'models.list', payload: {} });
    expect(listed.ok).toBe(true);
    // The file goes bad after Mai read its header (same size and time, so the header cache still trusts it).
    const fd = openSync(broken, 'r+');
    writeSync(fd, Buffer.alloc(64, 0), 0, 64, 0);
    closeSync(fd);
    utimesSync(broken, fileTime, fileTime);

    const answer = await brain.chat('Explain step by step why stories need an ending, and compare two of them.');
    expect(answer.model.key).toBe('stories260K');
    expect(answer.text.length).toBeGreaterThan(0);
    const failure = decisions.find((d) => d.trigger === 'failure' && d.from === 'broken-medium');
    expect(failure?.reason).toMatch(/broken-medium failed/);
    // The load failed before anything was switched: one failure, then the fallback from the configured chain.
    expect(answer.switches).toMatchObject([
      { from: 'broken-medium', to: null, trigger: 'failure' },
      { from: null, to: 'stories260K', trigger: 'failure', reason: 'fallback of broken-medium: stories260K' },
    ]);
  });
});

describe('Mai when LM Studio drops mid-answer (d)', () => {
  it('completes the answer on a fallback and loses no message', async () => {
    const server = await startLmStudioServer({
      modelsDir: sharedModelsDir(),
      faults: { dropConnectionAfterFragments: 3 },
    });
    const { brain, decisions, maiHome } = await scenario({
      backends: () => [
        createLmStudioBackend({ url: server.url, callTimeoutMs: 5000, respondIdleTimeoutMs: 5000 }),
        new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false }),
      ],
      modelsYamlText: modelsYaml([
        { key: 'stories260k', category: 'medium', fallback: ['stories260K'] },
        { key: 'stories260K', category: 'small', fallback: [] },
      ]),
    });
    running.at(-1)!.server = server;
    const answer = await brain.chat('Explain step by step how a story begins, and compare two openings.');
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.model).toEqual({ key: 'stories260K', backend: 'embedded' });
    const failure = decisions.find((d) => d.trigger === 'failure');
    expect(failure?.from).toBe('stories260k');
    const messages = records(maiHome).filter((r) => r.type === 'message') as { role: string }[];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});
