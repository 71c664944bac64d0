import { LMStudioClient } from '@lmstudio/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../fixtures';
import { startLmStudioServer, type RunningServer } from './server';

/** The real SDK 1.5.0 drives each endpoint; the server must answer in shapes its zod schemas accept. */
describe('LM Studio-compatible server, through the real SDK', () => {
  let server: RunningServer;
  let client: LMStudioClient;
  const quiet = { info: () => {}, debug: () => {}, warn: () => {}, error: () => {} };

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    client = new LMStudioClient({ baseUrl: server.url, logger: quiet });
  });

  afterAll(async () => {
    // Everything settled, so the SDK's dispose can finish; the server closing would release it anyway.
    await client[Symbol.asyncDispose]();
    await server.close();
    expect(server.warnings).toEqual([]);
  });

  it('loads through getOrLoad with progress, then finds it already loaded', async () => {
    const progress: number[] = [];
    const model = await client.llm.model('stories260k', { onProgress: (p) => progress.push(p), verbose: false });
    expect(progress.at(-1)).toBe(1);
    expect(model.identifier).toBe('stories260k');
    const again = await client.llm.model('stories260k', { verbose: false });
    expect(again.identifier).toBe('stories260k');
    expect(server.instances.all()).toHaveLength(1);
  });

  it('reports the real context length in both places the SDK reads it', async () => {
    // llama.cpp pads n_ctx to a multiple of 256; what is reported must be the real one, in both places.
    const second = await client.llm.load('stories260k', { config: { contextLength: 300 }, verbose: false });
    expect(second.identifier).toBe('stories260k:2');
    expect(await second.getContextLength()).toBe(512);
    expect((await second.getModelInfo()).contextLength).toBe(512);
    await second.unload();
  });

  it('tokenizes, counts and formats with the model itself', async () => {
    const model = await client.llm.model('stories260k', { verbose: false });
    const text = 'Once upon a time, there was a cat.';
    const tokens = await model.tokenize(text);
    expect(tokens.length).toBeGreaterThan(5);
    expect(await model.countTokens(text)).toBe(tokens.length);
    const formatted = await model.applyPromptTemplate([{ role: 'user', content: 'hi there' }]);
    expect(formatted).toContain('hi there');
  });

  it('completes raw text verbatim and stops at maxTokens', async () => {
    const model = await client.llm.model('stories260k', { verbose: false });
    const result = await model.complete('Once upon a time', { maxTokens: 12, temperature: 0 });
    expect(result.stats.stopReason).toBe('maxPredictedTokensReached');
    expect(result.stats.predictedTokensCount).toBe(12);
    expect(result.content.length).toBeGreaterThan(0);
  });

  it('ends a cancelled prediction with success and userStopped', async () => {
    const model = await client.llm.model('stories260k', { verbose: false });
    const prediction = model.respond('Tell me a long story', {
      maxTokens: 100_000,
      onFirstToken: () => void prediction.cancel(),
    });
    const result = await prediction;
    expect(result.stats.stopReason).toBe('userStopped');
  });

  it('answers unknown identifiers and unloaded instances with LM Studio errors', async () => {
    await expect(client.llm.unload('nope')).rejects.toThrow(/Cannot find a model with identifier/);
    await expect(client.llm.load('missing-model', { verbose: false })).rejects.toThrow(/Cannot find a model with path/);
    const model = await client.llm.model('stories260k', { verbose: false });
    await model.unload();
    await expect(model.respond('hi')).rejects.toThrow(/already been unloaded/);
    await expect(model.getModelInfo()).rejects.toThrow(/already been unloaded/);
  });

  it('keeps the alive channel open until the server goes away', async () => {
    const restartable = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    const watcher = new LMStudioClient({ baseUrl: restartable.url, logger: quiet });
    await watcher.system.getLMStudioVersion();
    let disconnected = false;
    const gone = watcher.system.whenDisconnected().then(() => (disconnected = true));
    // A round trip after the channel opened: had the server closed it, the client would know by now.
    await watcher.system.getLMStudioVersion();
    expect(disconnected).toBe(false);
    await restartable.close();
    await gone;
    // Restarting on the same port: the SDK reconnects lazily and authenticates again.
    const again = await startLmStudioServer({ port: restartable.port, modelsDir: sharedModelsDir() });
    expect((await watcher.system.getLMStudioVersion()).version).toBe('0.3.30');
    await watcher[Symbol.asyncDispose]();
    await again.close();
  });
});
