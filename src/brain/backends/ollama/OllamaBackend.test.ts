/** The Ollama backend against the Ollama-compatible server (test/ollama-server), the real engine behind it. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { closedPort } from '../../../../test/lmstudio-server/testSupport';
import { startOllamaServer, type RunningOllamaServer } from '../../../../test/ollama-server';
import { BackendError } from '../ModelBackend';
import { createOllamaBackend } from './OllamaBackend';
import type { OllamaBackendOptions } from './ollamaOptions';

let server: RunningOllamaServer;
beforeAll(async () => {
  server = await startOllamaServer({ modelsDir: sharedModelsDir() });
});
afterAll(() => server.close());
afterEach(() => server.setFaults({}));

/** A clock the test moves, so a backoff passes without waiting for it. */
function testClock() {
  let nowMs = 0;
  return { clock: { nowMs: () => nowMs, monotonicMs: () => nowMs }, advance: (ms: number) => (nowMs += ms) };
}

const backendFor = (options: OllamaBackendOptions = {}) => createOllamaBackend({ url: server.url, ...options });
const story = [{ role: 'user' as const, content: 'Once upon a time' }];

describe('OllamaBackend', () => {
  it('is ready with its version, and says where it looked when nothing listens', async () => {
    expect(await backendFor().health()).toEqual({
      id: 'ollama',
      status: 'ready',
      detail: `Ollama 0.12.6 at ${server.url}`,
    });
    const port = await closedPort();
    const absent = await createOllamaBackend({ url: `http://127.0.0.1:${port}` }).health();
    expect(absent).toMatchObject({ status: 'unavailable', detail: expect.stringContaining(`127.0.0.1:${port}`) });
  });

  it('lists its models with their GGUF facts from /api/show', async () => {
    const models = await backendFor().listModels();
    expect(models.map((m) => m.key).sort()).toEqual(['llama-2-tiny-random:latest', 'stories260k:latest']);
    expect(models.find((m) => m.key === 'stories260k:latest')).toMatchObject({
      backend: 'ollama',
      sizeBytes: 1_185_376,
      quantization: 'F32',
      maxContextLength: 2048,
      usable: true,
      gguf: { architecture: 'llama', layerCount: 5, embeddingLength: 64, headCount: 8, headCountKv: 4 },
    });
  });

  it('loads with keep_alive and the window asked for, reports its real memory, and unloads with keep_alive 0', async () => {
    const backend = backendFor();
    const loaded = await backend.load('stories260k:latest', { contextLength: 512 });
    expect(loaded).toMatchObject({ identifier: 'stories260k:latest', contextLength: 512 });
    expect(server.runners.get('stories260k:latest')?.contextLength).toBe(512);
    const [listed] = await backend.listLoaded();
    expect(listed?.memory?.totalBytes).toBeGreaterThan(1_185_376);
    await backend.unload(loaded.identifier);
    expect(server.runners.all()).toEqual([]);
  });

  it('streams an answer with the eval counts as its figures, and learns the token rate from them', async () => {
    const backend = backendFor();
    const { identifier } = await backend.load('stories260k:latest', { contextLength: 512 });
    const fragments: string[] = [];
    const before = await backend.countTokens(identifier, 'Once upon a time there was a cat.');
    const result = await backend.respond(identifier, story, {
      maxTokens: 16,
      seed: 1,
      onFragment: (f) => fragments.push(f),
    });
    expect(result.text).toBe(fragments.join(''));
    expect(result.stats).toMatchObject({ predictedTokens: 16, stopReason: 'maxTokens' });
    expect(result.stats.promptTokens).toBeGreaterThan(0);
    expect(result.stats.tokensPerSecond).toBeGreaterThan(0);
    const after = await backend.countTokens(identifier, 'Once upon a time there was a cat.');
    expect(after).not.toBe(before);
    await backend.close();
  });

  it('cancels mid-answer and keeps what was said', async () => {
    const backend = backendFor();
    const { identifier } = await backend.load('stories260k:latest', { contextLength: 512 });
    const controller = new AbortController();
    const result = await backend.respond(identifier, story, {
      signal: controller.signal,
      onFragment: () => controller.abort(),
    });
    expect(result.stats.stopReason).toBe('cancelled');
    expect(result.text.length).toBeGreaterThan(0);
    await backend.close();
  });

  it('names a host that went away mid-answer, and one that froze, as backend-level failures', async () => {
    const backend = backendFor({ fragmentStallTimeoutMs: 300 });
    const { identifier } = await backend.load('stories260k:latest', { contextLength: 512 });
    server.setFaults({ dropChatAfterChunks: 2 });
    const dropped = await backend.respond(identifier, story).catch((error: unknown) => error);
    expect(dropped).toBeInstanceOf(BackendError);
    expect((dropped as BackendError).code).toBe('disconnected');
    server.setFaults({ stallChatAfterChunks: 2 });
    const frozen = await backendFor({ fragmentStallTimeoutMs: 300 })
      .respond(identifier, story)
      .catch((error: unknown) => error);
    expect((frozen as BackendError).code).toBe('stalled');
    server.setFaults({});
    await backend.close();
  });

  it('never hangs on an Ollama that accepts and never answers', async () => {
    server.setFaults({ neverAnswer: true });
    const health = await backendFor({ probeTimeoutMs: 200 }).health();
    expect(health).toMatchObject({ status: 'error', detail: expect.stringContaining('no answer within 200 ms') });
  });

  it('reuses a model someone else loaded with a window that is enough, and leaves it loaded', async () => {
    await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama-2-tiny-random', messages: [], options: { num_ctx: 1024 } }),
    });
    const backend = backendFor();
    const loaded = await backend.load('llama-2-tiny-random:latest', { contextLength: 512 });
    expect(loaded).toMatchObject({ reused: true, contextLength: 1024 });
    await backend.unload(loaded.identifier);
    expect(server.runners.get('llama-2-tiny-random:latest')).toBeDefined();
    await server.runners.unload('llama-2-tiny-random:latest');
  });

  it('sends the host token, and never shows it', async () => {
    const token = 'tok-s3cret-4242';
    server.setFaults({ requireToken: token });
    const without = await backendFor()
      .listModels()
      .catch((error: unknown) => error);
    expect((without as BackendError).code).toBe('refused');
    expect(String(without)).toContain('token_file');
    const withToken = backendFor({ token });
    const health = await withToken.health();
    expect(health.status).toBe('ready');
    expect(await withToken.listModels()).toHaveLength(2);
    expect(JSON.stringify(health)).not.toContain(token);
  });

  it('comes back by itself once the backoff after a failed probe has passed', async () => {
    const { clock, advance } = testClock();
    const port = server.port;
    await server.close();
    const backend = createOllamaBackend({ url: `http://127.0.0.1:${port}`, clock });
    expect((await backend.health()).status).toBe('unavailable');
    server = await startOllamaServer({ modelsDir: sharedModelsDir(), port });
    // Within the backoff the last answer stands: a host off the network costs no new wait.
    expect((await backend.health()).status).toBe('unavailable');
    advance(1_000);
    expect((await backend.health()).status).toBe('ready');
  });
});
