/**
 * The brain with LM Studio in the wild: the real SDK against the LM Studio-compatible server (backed by the real
 * engine), beside the embedded engine on the same fixture files. One engine that stalls must never silence Mai.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../test/lmstudio-server';
import type { ServerFaults } from '../../test/lmstudio-server/faults';
import { createBrain, type Brain } from './Brain';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { createLmStudioBackend } from './backends/lmstudio';
import { noGpuSampler } from './resources/sampler';

const gib = 1024 ** 3;
/** The SDK call deadline these tests give the adapter (10 s in use): short, so a stall costs the test little. */
const callTimeoutMs = 2_000;

const running: { brain: Brain; server: RunningServer }[] = [];
afterEach(async () => {
  for (const { brain, server } of running.splice(0)) {
    await brain.shutdown();
    await server.close();
  }
});

/**
 * LM Studio's stories260k is the preferred (medium, thinking) model. The embedded engine reads its own copy of the
 * file as local/stories260K: a file LM Studio does not serve, so the catalog keeps it beside LM Studio's models.
 */
const modelsYaml = `models:
  - key: stories260k
    display_name: stories260k in LM Studio
    category: medium
    min_memory_gb: 0
    min_vram_gb: 0
    context_window: 2048
    capabilities: [chat, reasoning]
    fallback: [local/stories260K]
  - key: local/stories260K
    display_name: stories260K embedded
    category: small
    min_memory_gb: 0
    min_vram_gb: 0
    context_window: 2048
    capabilities: [chat]
    fallback: []
`;

async function start(faults: ServerFaults = {}) {
  const server = await startLmStudioServer({ modelsDir: sharedModelsDir(), faults });
  const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-lmstudio-'));
  mkdirSync(path.join(maiHome, 'config'));
  writeFileSync(path.join(maiHome, 'config', 'models.yaml'), modelsYaml);
  const localModels = path.join(maiHome, 'models');
  mkdirSync(path.join(localModels, 'local'), { recursive: true });
  copyFileSync(path.join(sharedModelsDir(), 'stories260K.gguf'), path.join(localModels, 'local', 'stories260K.gguf'));
  const brain = createBrain({
    maiHome,
    gpuSampler: noGpuSampler,
    hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
    backends: [
      createLmStudioBackend({ url: server.url, callTimeoutMs, homeDir: maiHome }),
      new EmbeddedBackend({ modelsDirs: [localModels], threads: 1, gpu: false }),
    ],
  });
  running.push({ brain, server });
  await brain.start();
  return { brain, server, maiHome };
}

function storedMessages(
  maiHome: string,
): { role: string; content: string; reasoning?: string; model?: { key: string } }[] {
  const dir = path.join(maiHome, 'conversations');
  const [file] = readdirSync(dir);
  return readFileSync(path.join(dir, file ?? ''), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; role: string; content: string })
    .filter((record) => record.type === 'message');
}

describe('one stuck engine never silences Mai', () => {
  it('answers from the embedded engine when LM Studio never sends its model list, and status says why', async () => {
    const { brain } = await start({ stallModelList: 'silent' });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model).toEqual({ key: 'local/stories260K', backend: 'embedded' });
    expect(answer.text.length).toBeGreaterThan(0);
    const status = await brain.invoke({ name: 'status.get', payload: {} });
    if (!status.ok) throw new Error(status.error.message);
    const lmStudio = status.value.backends.find((b) => b.id === 'lmstudio');
    expect(lmStudio?.status).toBe('error');
    expect(lmStudio?.detail).toMatch(/listing its models failed.*did not answer within 2000 ms/);
  });
});

describe('a frozen LM Studio', () => {
  it('costs one stall deadline, not the 120 s idle timeout: the answer falls back and LM Studio is marked', async () => {
    const { brain } = await start({ stallPredictAfterFragments: 3 });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model).toEqual({ key: 'local/stories260K', backend: 'embedded' });
    expect(answer.switches.find((d) => d.kind === 'failure')?.reason).toMatch(/stories260k failed/);
    const status = await brain.invoke({ name: 'status.get', payload: {} });
    if (!status.ok) throw new Error(status.error.message);
    expect(status.value.backends.find((b) => b.id === 'lmstudio')?.status).toBe('error');
  });

  it('that sends nothing at all costs the first-fragment deadline (8 s, within the 10 s asked), then falls back', async () => {
    const { brain } = await start({ stallPredictAfterFragments: 0 });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model).toEqual({ key: 'local/stories260K', backend: 'embedded' });
    // The deadline that ended it, in its own words: Mai's 8 s before any text, not the SDK's 120 s idle timeout.
    expect(answer.switches.find((d) => d.kind === 'failure')?.reason).toMatch(/nothing for 8 s before any text/);
    expect(answer.text.length).toBeGreaterThan(0);
  });
});

describe('reasoning models', () => {
  it('keeps the reasoning apart from the answer, and stores both', async () => {
    const { brain, maiHome } = await start({ think: { tokens: 12 } });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model.key).toBe('stories260k');
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.reasoning).toMatch(/^Let me think( step)+$/);
    expect(answer.text).not.toContain('Let me think');
    const [, assistant] = storedMessages(maiHome);
    expect(assistant).toMatchObject({ role: 'assistant', content: answer.text, reasoning: answer.reasoning });
  });

  it('never stores an empty answer: a model that only thinks falls back to the next one', async () => {
    const { brain, maiHome } = await start({ think: { tokens: 12, thenAnswer: false } });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model).toEqual({ key: 'local/stories260K', backend: 'embedded' });
    expect(answer.switches.map((d) => [d.kind, d.from, d.to])).toEqual([
      ['selection', null, 'stories260k'],
      ['failure', 'stories260k', null],
      ['switch', 'stories260k', 'local/stories260K'],
    ]);
    const assistants = storedMessages(maiHome).filter((m) => m.role === 'assistant');
    expect(assistants).toHaveLength(1);
    expect(assistants[0]?.content.length).toBeGreaterThan(0);
  });
});

describe('a model the person already loaded in LM Studio', () => {
  it('is used as it is: no second instance', async () => {
    const { brain, server } = await start();
    await server.loadAsPerson('stories260k', { contextLength: 2048 });
    const answer = await brain.chat('Once upon a time');
    expect(answer.model).toEqual({ key: 'stories260k', backend: 'lmstudio' });
    expect(server.loads.map((load) => load.identifier)).toEqual(['stories260k']);
  });
});
