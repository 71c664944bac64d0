/** The OpenAI-compatible backend against the OpenAI-compatible server (test/openai-server), the real engine behind. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { startOpenAiServer, type RunningOpenAiServer } from '../../../../test/openai-server';
import type { BackendError } from '../ModelBackend';
import { createOpenAiBackend } from './OpenAiBackend';
import { apiBase, type OpenAiBackendOptions } from './openAiOptions';

const apiKey = 'sk-mai-test-s3cret';
let server: RunningOpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({ modelsDir: sharedModelsDir(), apiKey, contextLength: 1024, describeModels: true });
});
afterAll(() => server.close());
afterEach(() => server.setFaults({}));

const backendFor = (options: Partial<OpenAiBackendOptions> = {}) =>
  createOpenAiBackend({ url: server.url, token: apiKey, ...options });
const story = [{ role: 'user' as const, content: 'Once upon a time' }];

describe('OpenAiBackend', () => {
  it('takes a base URL with or without /v1', () => {
    expect(apiBase('http://rig:8000')).toBe('http://rig:8000/v1');
    expect(apiBase('http://rig:8000/v1/')).toBe('http://rig:8000/v1');
  });

  it('lists what the server serves, each model on the server, never on this machine', async () => {
    const backend = backendFor();
    expect(await backend.health()).toMatchObject({ status: 'ready', detail: expect.stringContaining('2 models') });
    const models = await backend.listModels();
    expect(models.find((m) => m.key === 'stories260k')).toMatchObject({
      backend: 'openai',
      sizeBytes: 1_185_376,
      maxContextLength: 2048,
      usable: true,
      host: { name: `127.0.0.1:${server.port}`, capacityBytes: null, usedBytes: null },
    });
  });

  it('is refused without its token, and never shows the token', async () => {
    const refused = await backendFor({ token: null }).health();
    expect(refused).toMatchObject({ status: 'error', detail: expect.stringContaining('401') });
    const wrong = await backendFor({ token: 'sk-wrong' })
      .listModels()
      .catch((error: unknown) => error);
    expect((wrong as BackendError).code).toBe('refused');
    expect(JSON.stringify(await backendFor().health())).not.toContain(apiKey);
  });

  it('streams an answer, with the server usage as its figures', async () => {
    const backend = backendFor();
    const { identifier, contextLength } = await backend.load('stories260k', { contextLength: 4096 });
    expect(contextLength).toBe(2048);
    const fragments: string[] = [];
    const result = await backend.respond(identifier, story, {
      maxTokens: 12,
      seed: 1,
      onFragment: (f) => fragments.push(f),
    });
    expect(result.text).toBe(fragments.join(''));
    expect(result.stats).toMatchObject({ predictedTokens: 12, stopReason: 'maxTokens' });
    expect(result.stats.promptTokens).toBeGreaterThan(0);
  });

  it('cuts the answer at its own budget when reasoning gets one on top', async () => {
    const backend = backendFor();
    const { identifier } = await backend.load('stories260k');
    const result = await backend.respond(identifier, story, { maxTokens: 5, maxReasoningTokens: 50, seed: 1 });
    expect(result.stats.stopReason).toBe('maxTokens');
    expect(result.stats.predictedTokens).toBeLessThanOrEqual(6);
  });

  it('cancels mid-answer and keeps what was said', async () => {
    const backend = backendFor();
    const { identifier } = await backend.load('stories260k');
    const controller = new AbortController();
    const result = await backend.respond(identifier, story, {
      signal: controller.signal,
      onFragment: () => controller.abort(),
    });
    expect(result.stats.stopReason).toBe('cancelled');
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('names a server gone mid-answer, a frozen one, and a model it does not serve', async () => {
    const backend = backendFor({ fragmentStallTimeoutMs: 300 });
    const { identifier } = await backend.load('stories260k');
    server.setFaults({ dropAfterChunks: 2 });
    expect(((await backend.respond(identifier, story).catch((e: unknown) => e)) as BackendError).code).toBe(
      'disconnected',
    );
    server.setFaults({ stallAfterChunks: 2 });
    const frozen = backendFor({ fragmentStallTimeoutMs: 300 });
    await frozen.load('stories260k');
    expect(((await frozen.respond(identifier, story).catch((e: unknown) => e)) as BackendError).code).toBe('stalled');
    server.setFaults({});
    expect(
      (
        (await backendFor()
          .load('gpt-9')
          .catch((e: unknown) => e)) as BackendError
      ).code,
    ).toBe('not_found');
  });

  it('turns the server refusing a prompt too long for its window into does_not_fit', async () => {
    const backend = backendFor();
    const { identifier } = await backend.load('stories260k');
    const long = [{ role: 'user' as const, content: 'word '.repeat(1500) }];
    const refused = await backend.respond(identifier, long).catch((e: unknown) => e);
    expect((refused as BackendError).code).toBe('does_not_fit');
  });
});
