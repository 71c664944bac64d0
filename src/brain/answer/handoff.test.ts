/**
 * Mid-answer handoff end to end (issue 15): an LM Studio-compatible server (the real SDK, the real engine behind it)
 * that loops, slows down or is cancelled mid-answer, and the embedded engine that continues what it wrote.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../test/fixtures';
import { startLmStudioServer, type RunningServer, type ServerFaults } from '../../../test/lmstudio-server';
import type { EngineGenerateRequest } from '../../../test/lmstudio-server/engine';
import type { EventPayload } from '../../shared/contract';
import { createBrain, type Brain } from '../Brain';
import { EmbeddedBackend } from '../backends/embedded/EmbeddedBackend';
import { createLmStudioBackend } from '../backends/lmstudio';
import { noGpuSampler } from '../resources/sampler';

const gib = 1024 ** 3;

// LM Studio's copy of stories260K first (medium, on a machine that prefers medium), the embedded one after it.
const modelsYaml = `models:
  - key: stories260k
    display_name: stories260K in LM Studio
    category: medium
    min_memory_gb: 0
    min_vram_gb: 0
    context_window: 2048
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

/**
 * "LM Studio" with stories260K alone, so the model after it is the embedded engine's (a scripted answer would make
 * LM Studio's next model loop or crawl just the same).
 */
async function lmStudio(faults: ServerFaults): Promise<RunningServer> {
  const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'mai-handoff-lms-'));
  copyFileSync(path.join(sharedModelsDir(), 'stories260K.gguf'), path.join(modelsDir, 'stories260K.gguf'));
  return startLmStudioServer({ modelsDir, faults });
}

let running: { brain: Brain; server: RunningServer }[] = [];
afterEach(async () => {
  for (const { brain, server } of running) {
    await brain.shutdown();
    await server.close();
  }
  running = [];
});

async function started(server: RunningServer, options: { modelsYaml?: string; embedded?: EmbeddedBackend } = {}) {
  const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-handoff-'));
  mkdirSync(path.join(maiHome, 'config'));
  writeFileSync(path.join(maiHome, 'config', 'models.yaml'), options.modelsYaml ?? modelsYaml);
  const brain = createBrain({
    maiHome,
    gpuSampler: noGpuSampler,
    hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
    backends: [
      // A second of silence mid-answer is a frozen LM Studio here (the scripted pieces come 4-400 ms apart).
      createLmStudioBackend({ url: server.url, callTimeoutMs: 5000, fragmentStallTimeoutMs: 1000 }),
      options.embedded ?? new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false }),
    ],
  });
  running.push({ brain, server });
  await brain.start();
  const handoffs: EventPayload<'chat.handoff'>[] = [];
  const restarts: EventPayload<'chat.restart'>[] = [];
  brain.subscribe('chat.handoff', (handoff) => handoffs.push(handoff));
  brain.subscribe('chat.restart', (restart) => restarts.push(restart));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSONL records read back for assertions
  const records = (): any[] => {
    const dir = path.join(maiHome, 'conversations');
    const [file] = readdirSync(dir);
    return readFileSync(path.join(dir, file ?? ''), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
  };
  return { brain, handoffs, restarts, records };
}

const loop = 'The little dog ran to the park again. ';

describe('a model that loops mid-answer', () => {
  it('is stopped at the third repeat; the next model continues after the first, and the file keeps both parts', async () => {
    const server = await lmStudio({ scriptAnswer: `Once upon a time. ${loop.repeat(12)}` });
    const { brain, handoffs, records } = await started(server);
    const answer = await brain.chat('Tell me a story');

    // Pieces are streamed with the space before each word: the loop is seen as soon as its third copy ends.
    const kept = `Once upon a time. ${loop.trimEnd()}`;
    expect(answer.segments).toMatchObject([
      { model: { key: 'stories260k', backend: 'lmstudio' }, text: kept, endReason: 'repetition' },
      { model: { backend: 'embedded' } },
    ]);
    expect(answer.segments[0]?.reason).toContain(`"${loop.trim()}" 3 times in a row`);
    expect(answer.text).toBe(kept + (answer.segments[1]?.text ?? ''));
    expect(answer.model).toEqual(answer.segments[1]?.model);
    // The chat was told to keep the answer so far, the repeats taken out: it shows them until then.
    expect(handoffs).toEqual([
      {
        conversationId: answer.conversationId,
        text: kept,
        from: { key: 'stories260k', backend: 'lmstudio' },
        reason: expect.stringContaining('repeated itself'),
      },
    ]);
    expect(answer.switches.find((d) => d.kind === 'failure')).toMatchObject({
      from: 'stories260k',
      trigger: 'failure',
      reason: expect.stringMatching(/^stories260k stopped mid-answer: it repeated itself.*the next model continues/),
    });
    const stored = records().filter((r) => r.type === 'message' && r.role === 'assistant');
    expect(stored).toEqual([expect.objectContaining({ content: answer.text, segments: answer.segments })]);
    const opened = await brain.invoke({ name: 'conversations.open', payload: { id: answer.conversationId } });
    expect(opened.ok && opened.value.messages.at(-1)?.segments).toEqual(answer.segments);
  });
});

describe('an LM Studio that freezes mid-answer', () => {
  it('is left after its silence, and the embedded engine continues what it had sent', async () => {
    const server = await lmStudio({ scriptAnswer: loop, stallPredictAfterFragments: 4 });
    const { brain } = await started(server);
    const answer = await brain.chat('Tell me a story');
    expect(answer.segments.map((s) => [s.model.backend, s.endReason])).toEqual([
      ['lmstudio', 'failed'],
      ['embedded', expect.stringMatching(/^(eos|maxTokens)$/)],
    ]);
    expect(answer.segments[0]).toMatchObject({
      text: 'The little dog ran',
      reason: expect.stringMatching(/stopped streaming/),
    });
    expect(answer.text.startsWith('The little dog ran')).toBe(true);
  });
});

describe('a model that slows down mid-answer', () => {
  it('is stopped after a few seconds far below its usual speed, and the next model continues', async () => {
    const story = 'Once upon a time there was a fox who lived by a wide river in the old green wood near a town.';
    const server = await lmStudio({ scriptAnswer: story });
    const { brain } = await started(server);
    // The first answer sets the model's usual speed (a scripted piece every 4 ms: ~250 tokens/s).
    const usual = await brain.chat('Tell me a story');
    expect(usual.segments).toHaveLength(1);
    // Then LM Studio crawls: a piece every 400 ms, about 1 % of that.
    server.setFaults({ scriptAnswer: `${story} ${story} ${story}`, scriptPieceIntervalMs: 400 });
    const answer = await brain.chat('Another one');
    expect(answer.segments.map((s) => [s.model.backend, s.endReason])).toEqual([
      ['lmstudio', 'slow'],
      ['embedded', expect.stringMatching(/^(eos|maxTokens)$/)],
    ]);
    expect(story.startsWith(answer.segments[0]?.text ?? 'x')).toBe(true);
    expect(answer.switches.find((d) => d.kind === 'failure')).toMatchObject({
      trigger: 'slow_generation',
      reason: expect.stringMatching(/stories260k stopped mid-answer: it slowed to .* tokens\/s for 5 s/),
    });
  }, 60_000);
});

describe('an answer the person cancels', () => {
  it('ends with what was written, and is not handed to another model', async () => {
    const server = await lmStudio({ scriptAnswer: loop.repeat(2), scriptPieceIntervalMs: 100 });
    const { brain, handoffs, restarts } = await started(server);
    const stop = new AbortController();
    const answering = brain.chat('Tell me a story', {
      signal: stop.signal,
      onFragment: () => stop.abort(),
    });
    // The brain ends a cancelled answer with the part written so far (the CLI prints it and exits non-zero).
    const answer = await answering;
    expect(answer.segments).toMatchObject([{ model: { backend: 'lmstudio' }, endReason: 'cancelled' }]);
    expect(handoffs).toEqual([]);
    expect(restarts).toEqual([]);
    const status = await brain.invoke({ name: 'status.get', payload: {} });
    expect(status.ok && status.value.decisions.filter((d) => d.kind === 'failure')).toEqual([]);
    expect(status.ok && status.value.model.current).toMatchObject({ backend: 'lmstudio' });
  });
});

describe('an embedded model unloaded mid-answer', () => {
  it('hands what it wrote to LM Studio, which is fed it as the start of its own turn', async () => {
    const inputs: EngineGenerateRequest['input'][] = [];
    const server = await lmStudio({ onPredict: (input) => inputs.push(input) });
    const embedded = new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false });
    const { brain } = await started(server, {
      embedded,
      // The embedded engine's llama-2-tiny-random first; LM Studio's stories260k after it.
      modelsYaml: modelsYaml
        .replace('key: stories260k', 'key: llama-2-tiny-random')
        .replace('fallback: [stories260K]', 'fallback: [stories260k]')
        .replace('key: stories260K', 'key: stories260k'),
    });
    let fragments = 0;
    const answer = await brain.chat('Tell me a story', {
      onFragment: () => {
        fragments += 1;
        // The engine loses the model under the answer (as a crash of its context would).
        if (fragments === 5)
          void embedded.listLoaded().then(([loaded]) => loaded && embedded.unload(loaded.identifier));
      },
    });
    expect(answer.segments.map((s) => [s.model.key, s.model.backend, s.endReason])).toEqual([
      ['llama-2-tiny-random', 'embedded', 'failed'],
      ['stories260k', 'lmstudio', expect.stringMatching(/^(eos|maxTokens)$/)],
    ]);
    expect(answer.segments[0]?.reason).toMatch(/nobody cancelled it: its model was unloaded/);
    const written = answer.segments[0]?.text ?? '';
    expect(written.length).toBeGreaterThan(0);
    // complete() with the template up to the answer and what llama-2-tiny-random wrote after it.
    const continued = inputs.at(-1);
    expect(continued?.kind).toBe('raw');
    expect(continued?.kind === 'raw' && continued.prompt.endsWith(`### Assistant\n${written}`)).toBe(true);
  });
});
