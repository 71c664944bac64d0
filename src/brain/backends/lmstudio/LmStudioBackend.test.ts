import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath, sharedModelsDir } from '../../../../test/fixtures';
import {
  defaultEngine,
  startLmStudioServer,
  type EngineModel,
  type RunningServer,
} from '../../../../test/lmstudio-server';
import { recordUnhandledRejections, waitUntil } from '../../../../test/lmstudio-server/testSupport';
import { BackendError, type ModelBackend } from '../ModelBackend';
import { createLmStudioBackend } from './LmStudioBackend';

/** The adapter with the real @lmstudio/sdk 1.5.0 against the LM Studio-compatible server and a real engine. */
describe('LM Studio backend, happy paths', () => {
  const unhandled = recordUnhandledRejections();
  let server: RunningServer;
  let backend: ModelBackend;
  let engineModel: EngineModel;

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    // The server's models folder stands in for LM Studio's, so Mai can read the GGUF headers behind the listing.
    backend = createLmStudioBackend({ url: server.url, callTimeoutMs: 5_000, modelsDirs: [sharedModelsDir()] });
    // The same engine on the same file, for the "real tokenizer" comparison.
    engineModel = await defaultEngine(sharedModelsDir()).load({
      filePath: fixtureModelPath('stories260K'),
      contextLength: 256,
      onProgress: () => {},
      signal: new AbortController().signal,
    });
  });

  afterEach(() => server.setFaults({}));

  afterAll(async () => {
    await backend.close();
    await engineModel.unload();
    await server.close();
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
    // The SDK sends a communicationWarning for every reply its zod schemas reject: none means the wire was faithful.
    expect(server.warnings).toEqual([]);
  });

  it('reports LM Studio ready with its version and address', async () => {
    expect(await backend.health()).toEqual({
      id: 'lmstudio',
      status: 'ready',
      detail: `LM Studio 0.3.30 at ${server.url}`,
    });
  });

  it('lists the downloaded models in Mai terms', async () => {
    const models = await backend.listModels();
    const stories = models.find((model) => model.key === 'stories260k');
    expect(models.map((model) => model.key).sort()).toEqual(['llama-2-tiny-random', 'stories260k']);
    expect(stories).toMatchObject({
      displayName: 'stories260K',
      backend: 'lmstudio',
      path: 'stories260K.gguf',
      sizeBytes: 1_185_376,
      architecture: 'llama',
      quantization: 'F32',
      maxContextLength: 2048,
      vision: false,
      trainedForToolUse: false,
      usable: true,
    });
    expect(stories?.paramsString).toMatch(/K$/);
    expect(stories?.gguf).toMatchObject({
      architecture: 'llama',
      layerCount: 5,
      embeddingLength: 64,
      contextLength: 2048,
    });
  });

  it('loads with real progress, lists the instance and answers its context length', async () => {
    const progress: number[] = [];
    const loaded = await backend.load('stories260k', { contextLength: 512, onProgress: (f) => progress.push(f) });
    expect(loaded).toEqual({ identifier: 'stories260k', key: 'stories260k', backend: 'lmstudio', contextLength: 512 });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
    expect(await backend.listLoaded()).toEqual([loaded]);
    expect(await backend.contextLength('stories260k')).toBe(512);
  });

  it('streams a real stories260K answer with stats', async () => {
    const fragments: string[] = [];
    const result = await backend.respond(
      'stories260k',
      [
        { role: 'system', content: 'Tell a story.' },
        { role: 'user', content: 'Once upon a time' },
      ],
      { maxTokens: 24, temperature: 0.8, seed: 1234, onFragment: (text) => fragments.push(text) },
    );
    expect(fragments.length).toBeGreaterThan(1);
    expect(fragments.join('')).toBe(result.text);
    // TinyStories writes simple English: words separated by spaces.
    expect(result.text).toMatch(/[a-z]+ [a-z]+/i);
    expect(result.stats.stopReason).toBe('maxTokens');
    expect(result.stats.predictedTokens).toBe(24);
    expect(result.stats.promptTokens).toBeGreaterThan(0);
    expect(result.stats.tokensPerSecond).toBeGreaterThan(0);
    expect(result.stats.timeToFirstTokenMs).not.toBeNull();
  });

  it('counts tokens exactly as the engine tokenizer does', async () => {
    const text = 'Once upon a time, there was a little girl named Lily. She loved to play outside.';
    const count = await backend.countTokens('stories260k', text);
    expect(count).toBe(await engineModel.countTokens(text));
    expect(count).toBeGreaterThan(10);
  });

  it('stops an answer on cancel and keeps what was said', async () => {
    const abort = new AbortController();
    const result = await backend.respond('stories260k', [{ role: 'user', content: 'Tell me a long story' }], {
      maxTokens: 100_000,
      signal: abort.signal,
      onFragment: () => abort.abort(),
    });
    expect(result.stats.stopReason).toBe('cancelled');
    expect(result.text.length).toBeGreaterThan(0);
  });

  it("carries LM Studio's own message when it refuses a load", async () => {
    server.setFaults({
      refuseLoad: { title: 'Not enough memory to load llama-2-tiny-random', cause: 'needs 9 GB, 2 GB free' },
    });
    const error = await backend.load('llama-2-tiny-random').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'load_failed', backend: 'lmstudio' });
    expect((error as Error).message).toContain('Not enough memory to load llama-2-tiny-random');
    expect((error as Error).message).toContain('needs 9 GB, 2 GB free');
    // Plain text for a person: no ANSI colours, no box drawing.
    expect((error as Error).message).not.toMatch(/\[\d+m|│|╭/);
  });

  it('cancels a load on request and leaves nothing loaded', async () => {
    const abort = new AbortController();
    const loading = backend.load('llama-2-tiny-random', { signal: abort.signal, onProgress: () => abort.abort() });
    await expect(loading).rejects.toMatchObject({ code: 'cancelled', backend: 'lmstudio' });
    // LM Studio hears the cancel too; whatever it had started is gone once it answers.
    await waitUntil('the cancelled load is gone', async () =>
      (await backend.listLoaded()).every((model) => model.key !== 'llama-2-tiny-random'),
    );
  });

  it('names a model LM Studio does not have', async () => {
    await expect(backend.load('no-such-model')).rejects.toMatchObject({ code: 'not_found' });
    await expect(backend.respond('no-such-model', [{ role: 'user', content: 'hi' }])).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('unloads, after which the instance is gone', async () => {
    await backend.unload('stories260k');
    expect(await backend.listLoaded()).toEqual([]);
    expect(server.instances.all()).toHaveLength(0);
    await expect(backend.unload('stories260k')).rejects.toMatchObject({ code: 'not_found' });
  });
});
