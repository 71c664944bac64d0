/**
 * Mai with a host (issue 17): this machine's memory is scripted, everything else is real: hosts.yaml read by the
 * brain's own configuration, the embedded engine here, and an Ollama-compatible server on another loopback port
 * standing in for "studio-pc", the real engine behind it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../test/fixtures';
import { startOllamaServer, type RunningOllamaServer } from '../../test/ollama-server';
import { eventually, ScriptedMachine } from '../../test/scriptedMachine';
import type { Decision } from '../shared/contract';
import { createBrain, type Brain } from './Brain';
import { noGpuSampler } from './resources/sampler';

const gib = 1024 ** 3;
const models = `models:
  - { key: llama-2-tiny-random, display_name: Tiny, category: medium, min_memory_gb: 0, min_vram_gb: 0, context_window: 2048, capabilities: [chat], fallback: [stories260K] }
  - { key: stories260K, display_name: Stories, category: small, min_memory_gb: 0, min_vram_gb: 0, context_window: 2048, capabilities: [chat] }
`;

let running: { brain: Brain; studio: RunningOllamaServer }[] = [];
afterEach(async () => {
  for (const { brain, studio } of running) {
    await brain.shutdown();
    await studio.close();
  }
  running = [];
});

/** A mid-range machine (8 GiB, 4 cores, no GPU) with the fixture models, and studio-pc with 64 GiB for models. */
async function withStudio() {
  const studio = await startOllamaServer({ modelsDir: sharedModelsDir() });
  const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-hosts-'));
  mkdirSync(path.join(maiHome, 'config'));
  writeFileSync(path.join(maiHome, 'config', 'models.yaml'), models);
  writeFileSync(
    path.join(maiHome, 'config', 'hosts.yaml'),
    `hosts:\n  - { name: studio-pc, kind: ollama, url: "${studio.url}", memory_gb: 64 }\n`,
  );
  const machine = new ScriptedMachine({ memoryUsedPercent: 30 });
  const brain = createBrain({
    maiHome,
    env: { HOME: maiHome, MAI_MODELS_DIR: sharedModelsDir(), MAI_OLLAMA_URL: 'off', MAI_LMSTUDIO_DISCOVERY: 'off' },
    hostSampler: machine,
    gpuSampler: noGpuSampler,
    clock: machine.clock,
    // 25 ms of real time per simulated second: a minute of pressure plays out in 1.5 s.
    sampleIntervalMs: 25,
    hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
  });
  running.push({ brain, studio });
  await brain.start();
  const decisions: Decision[] = [];
  brain.subscribe('model.decision', (decision) => decisions.push(decision));
  return { brain, machine, studio, decisions };
}

describe('Mai with a host', () => {
  it('answers here while the model fits, moves to studio-pc under pressure, and the decision names the host', async () => {
    const { brain, machine, decisions } = await withStudio();
    const here = await brain.chat('Explain step by step why the sky is blue, and compare it with sunsets.');
    expect(here.model).toEqual({ key: 'llama-2-tiny-random', backend: 'embedded' });

    // The loaded model still answers while the pressure is young; once it has lasted, the scaler moves off it, and
    // with nothing smaller fitting here, to the host.
    machine.memoryUsedPercent = 95;
    const move = await eventually(() => decisions.find((d) => d.trigger === 'sustained_memory'), 15_000, 'a move');
    expect(move).toMatchObject({
      kind: 'switch',
      from: 'llama-2-tiny-random',
      to: expect.stringMatching(/^studio-pc\//),
    });
    expect(move.reason).toContain('moved to studio-pc: RAM 95 % here');
    const moved = await brain.chat('Once upon a time');
    expect(moved.model).toEqual({ key: move.to, backend: 'ollama' });
    expect(moved.text.length).toBeGreaterThan(0);

    const status = await brain.invoke({ name: 'status.get', payload: {} });
    if (!status.ok) throw new Error(status.error.message);
    const host = status.value.backends.find((b) => b.id === 'ollama')?.hosts?.[0];
    expect(host).toMatchObject({ name: 'studio-pc', status: 'ready', models: 2, loaded: 1 });
    expect(host?.memory.usedBytes).toBeGreaterThan(0);
  }, 60_000);

  it('finishes the answer on this machine when studio-pc goes away mid-answer', async () => {
    const { brain, machine, studio, decisions } = await withStudio();
    machine.memoryUsedPercent = 95;
    // Pinned, so the host answers first whatever the scaler makes of the pressure meanwhile.
    const listed = await brain.invoke({ name: 'models.list', payload: {} });
    const onStudio = listed.ok ? listed.value.models.find((m) => m.key.startsWith('studio-pc/')) : undefined;
    expect(onStudio).toBeDefined();
    await brain.invoke({ name: 'models.switch', payload: { key: onStudio?.key ?? '' } });
    studio.setFaults({ dropChatAfterChunks: 2 });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model.backend).toBe('embedded');
    expect(answer.text.length).toBeGreaterThan(0);
    const failure = await eventually(() => decisions.find((d) => d.kind === 'failure'), 5_000, 'the failure');
    expect(failure.from).toBe(onStudio?.key);
    expect(failure.reason).toContain('studio-pc');
  }, 60_000);
});
