import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath, type FixtureModelName } from '../../../../test/fixtures';
import { writeCorruptGguf, writeTruncatedCopy } from '../../../../test/gguf/badGgufFiles';
import { BackendError, type ChatMessage, type LoadedModel } from '../ModelBackend';
import { EmbeddedBackend } from './EmbeddedBackend';

const fixtures: [key: string, name: FixtureModelName][] = [
  ['stories260K', 'stories260K'],
  ['llama-2-tiny-random', 'llamaTinyRandom'],
];
// stories260K needs a short system prompt to write stories through the general chat wrapper (shared/models/README).
const storyChat: ChatMessage[] = [
  { role: 'system', content: 'You tell stories.' },
  { role: 'user', content: 'Tell me a story about a cat.' },
];
const story = 'Once upon a time, there was a little girl named Lily. She liked to play in the park. '.repeat(40);

let dir: string;
let backend: EmbeddedBackend;
const loaded = new Map<string, LoadedModel>();
const progress = new Map<string, number[]>();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mai-embedded-'));
  for (const [key, name] of fixtures) copyFileSync(fixtureModelPath(name), path.join(dir, `${key}.gguf`));
  writeCorruptGguf(path.join(dir, 'corrupt.gguf'));
  writeTruncatedCopy(fixtureModelPath('llamaTinyRandom'), path.join(dir, 'half.gguf'));
  backend = new EmbeddedBackend({ modelsDirs: [dir], gpu: false, threads: 1 });
  for (const [key] of fixtures) {
    const steps: number[] = [];
    progress.set(key, steps);
    loaded.set(key, await backend.load(key, { contextLength: 1024, onProgress: (step) => steps.push(step) }));
  }
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

const idOf = (key: string) => loaded.get(key)?.identifier ?? '';

describe.each(fixtures)('the embedded engine on %s', (key) => {
  it('lists it as usable, loaded with the requested context, progress rising to 1', async () => {
    const info = (await backend.listModels()).find((model) => model.key === key);
    expect(info).toMatchObject({ backend: 'embedded', usable: true, architecture: 'llama' });
    expect(loaded.get(key)).toEqual({ identifier: key, key, backend: 'embedded', contextLength: 1024 });
    expect(await backend.contextLength(idOf(key))).toBe(1024);
    const steps = progress.get(key) ?? [];
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(1);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it('streams the same answer twice for the same seed', async () => {
    const runs = [];
    for (let run = 0; run < 2; run += 1) {
      const fragments: string[] = [];
      const result = await backend.respond(idOf(key), storyChat, {
        seed: 1234,
        temperature: 0.8,
        maxTokens: 40,
        onFragment: (text) => fragments.push(text),
      });
      expect(fragments.length).toBeGreaterThan(1);
      expect(fragments.join('')).toBe(result.text);
      runs.push(result);
    }
    expect(runs[1]?.text).toBe(runs[0]?.text);
    const stats = runs[0]?.stats;
    expect(stats?.predictedTokens).toBeGreaterThan(0);
    expect(stats?.promptTokens).toBeGreaterThan(5);
    expect(stats?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(stats?.tokensPerSecond).toBeGreaterThan(0);
    expect(['eos', 'maxTokens']).toContain(stats?.stopReason);
  });

  it('stops mid-generation when cancelled and keeps the partial text', async () => {
    const controller = new AbortController();
    const fragments: string[] = [];
    const result = await backend.respond(idOf(key), storyChat, {
      seed: 7,
      maxTokens: 400,
      signal: controller.signal,
      onFragment: (text) => {
        fragments.push(text);
        if (fragments.length === 3) controller.abort();
      },
    });
    expect(result.stats.stopReason).toBe('cancelled');
    expect(result.text).toBe(fragments.join(''));
    expect(result.stats.predictedTokens).toBeGreaterThanOrEqual(3);
    expect(result.stats.predictedTokens).toBeLessThan(400);
  });

  it("counts tokens with the model's own tokenizer", async () => {
    const llama = await backend.getLlama();
    const vocabulary = await llama.loadModel({ modelPath: path.join(dir, `${key}.gguf`), vocabOnly: true });
    try {
      for (const text of ['Hello, world!', story, 'naïve café — 東京 🙂']) {
        expect(await backend.countTokens(idOf(key), text)).toBe(vocabulary.tokenize(text).length);
      }
    } finally {
      await vocabulary.dispose();
    }
  });
});

describe('the embedded engine in detail', () => {
  it('writes English with stories260K', async () => {
    const { text } = await backend.respond(idOf('stories260K'), storyChat, { seed: 1234, maxTokens: 60 });
    expect(text).toMatch(/\b(the|a|and|was|to|he|she|they)\b/i);
  });

  it('completes a raw prompt verbatim and honours stop strings', async () => {
    const plain = await backend.complete(idOf('stories260K'), 'Once upon a time', { seed: 1, maxTokens: 20 });
    expect(plain.stats).toMatchObject({ promptTokens: 5, stopReason: expect.stringMatching(/eos|maxTokens/) });
    const stopped = await backend.complete(idOf('stories260K'), 'Once upon a time', {
      seed: 1,
      maxTokens: 60,
      stopStrings: ['.'],
    });
    expect(stopped.stats).toMatchObject({ stopReason: 'other', stopString: '.' });
    expect(stopped.text).not.toContain('.');
  });

  it('ends at the context window instead of shifting it', async () => {
    const tokens = backend.tokenize(idOf('stories260K'), story);
    const nearlyFull = await backend.complete(idOf('stories260K'), tokens.slice(0, 1019), { seed: 3 });
    expect(nearlyFull.stats).toMatchObject({ stopReason: 'contextFull', predictedTokens: 3 });
    const tooLong = await backend.complete(idOf('stories260K'), tokens.slice(0, 1100), { seed: 3 });
    expect(tooLong).toMatchObject({ text: '', stats: { stopReason: 'contextFull', predictedTokens: 0 } });
  });

  it('names an answer with no text as empty_answer, so another model can answer', async () => {
    // Longer than the 1024-token window: no room is left for a single token of answer.
    const tooLong: ChatMessage[] = [{ role: 'user', content: story.repeat(2) }];
    await expect(backend.respond(idOf('stories260K'), tooLong)).rejects.toMatchObject({
      code: 'empty_answer',
      backend: 'embedded',
      message: 'stories260K gave no answer: the conversation left no room for one in its window.',
    });
    // The same generation, as an LM Studio-compatible server streams it, is empty and not an error.
    const raw = await backend.generateChat(idOf('stories260K'), tooLong);
    expect(raw).toMatchObject({ text: '', stats: { predictedTokens: 0 } });
  });

  it('keeps the answer to its own budget when reasoning is given one on top', async () => {
    const result = await backend.respond(idOf('stories260K'), storyChat, {
      seed: 1,
      maxTokens: 6,
      maxReasoningTokens: 50,
    });
    expect(result.stats).toMatchObject({ stopReason: 'maxTokens', predictedTokens: 6 });
    // stories260K does not think: nothing to keep apart.
    expect(result.reasoning).toBeUndefined();
  });

  it('formats prompts with the fallback chat template and round-trips tokens', () => {
    expect(backend.formatPrompt(idOf('stories260K'), storyChat)).toBe(
      '<s>You tell stories.\n\n### Human\nTell me a story about a cat.\n\n### Assistant\n',
    );
    const tokens = backend.tokenize(idOf('llama-2-tiny-random'), 'Hello world');
    expect(tokens).toEqual([15043, 3186]);
    expect(backend.detokenize(idOf('llama-2-tiny-random'), tokens)).toBe('Hello world');
  });

  it('lists corrupt and truncated files as unusable and refuses to load them', async () => {
    const models = await backend.listModels();
    expect(models.find((model) => model.key === 'corrupt')).toMatchObject({ usable: false });
    expect(models.find((model) => model.key === 'half')?.unusableReason).toMatch(/truncated/);
    await expect(backend.load('half')).rejects.toMatchObject({ code: 'unusable' });
    await expect(backend.load('nothing-here')).rejects.toMatchObject({ code: 'not_found' });
    await expect(backend.countTokens('nothing-here', 'x')).rejects.toBeInstanceOf(BackendError);
  });

  it('cancels and times out loads, leaving nothing loaded', async () => {
    const before = (await backend.listLoaded()).length;
    const aborted = AbortSignal.abort();
    await expect(backend.load('stories260K', { signal: aborted })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(backend.load('llama-2-tiny-random', { timeoutMs: 1 })).rejects.toMatchObject({ code: 'timeout' });
    expect(await backend.listLoaded()).toHaveLength(before);
  });

  it('names a second instance like LM Studio and stops its generation when it is unloaded', async () => {
    const second = await backend.load('stories260K', { contextLength: 512 });
    expect(second.identifier).toBe('stories260K:2');
    let unloading: Promise<void> | null = null;
    const result = await backend.respond(second.identifier, storyChat, {
      maxTokens: 400,
      onFragment: () => {
        unloading ??= backend.unload(second.identifier);
      },
    });
    await unloading;
    expect(result.stats.stopReason).toBe('cancelled');
    expect((await backend.listLoaded()).map((model) => model.identifier)).not.toContain('stories260K:2');
  });

  it('reports itself ready with the engine build', async () => {
    const health = await backend.health();
    expect(health).toMatchObject({ id: 'embedded', status: 'ready' });
    expect(health.detail).toMatch(/^node-llama-cpp 3\.22\.1, llama\.cpp .+, CPU, 1 threads$/);
  });

  it('answers health without starting the engine', async () => {
    const fresh = new EmbeddedBackend({ modelsDirs: [dir], gpu: false, threads: 1 });
    expect(await fresh.health()).toMatchObject({
      status: 'ready',
      detail: 'llama.cpp through node-llama-cpp, 1 threads; it starts at the first load',
    });
    // Nothing was started by asking: the engine comes with the first load (or estimate).
    expect(Reflect.get(fresh, 'llamaPromise')).toBeNull();
    await fresh.close();
  });

  it('unloads everything on close and can be used again', async () => {
    const other = new EmbeddedBackend({ modelsDirs: [dir], gpu: false, threads: 1 });
    const model = await other.load('stories260K', { contextLength: 256 });
    await other.close();
    expect(await other.listLoaded()).toEqual([]);
    await expect(other.respond(model.identifier, storyChat)).rejects.toMatchObject({ code: 'not_found' });
    const again = await other.load('stories260K', { contextLength: 256 });
    expect((await other.respond(again.identifier, storyChat, { maxTokens: 4 })).stats.predictedTokens).toBe(4);
    await other.close();
  });
});
