/**
 * The Ollama-compatible server against Ollama's documented wire format (docs/api.md, api/types.go), spoken raw with
 * fetch: what the Ollama backend is tested against must be what a real Ollama sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../fixtures';
import { keepAliveMs, startOllamaServer, type RunningOllamaServer } from './index';

let server: RunningOllamaServer;
beforeAll(async () => {
  server = await startOllamaServer({ modelsDir: sharedModelsDir() });
});
afterAll(() => server.close());

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body) });

async function ndjson(response: Response): Promise<Record<string, unknown>[]> {
  return (await response.text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Ollama-compatible server', () => {
  it('lists its models as /api/tags does, named model:tag', async () => {
    const { models } = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: Record<string, unknown>[] };
    expect(models.map((m) => m.name).sort()).toEqual(['llama-2-tiny-random:latest', 'stories260k:latest']);
    expect(models.find((m) => m.name === 'stories260k:latest')).toEqual({
      name: 'stories260k:latest',
      model: 'stories260k:latest',
      modified_at: expect.any(String),
      size: 1_185_376,
      digest: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: expect.any(String),
        quantization_level: 'F32',
      },
    });
  });

  it('shows a model with its GGUF facts in model_info, and 404s an unknown one', async () => {
    const show = (await (await post('/api/show', { model: 'stories260k' })).json()) as Record<string, unknown>;
    expect(show.capabilities).toEqual(['completion']);
    expect(show.model_info).toMatchObject({
      'general.architecture': 'llama',
      'llama.context_length': 2048,
      'llama.block_count': 5,
      'llama.embedding_length': 64,
      'llama.attention.head_count': 8,
      'llama.attention.head_count_kv': 4,
      'general.parameter_count': expect.any(Number),
      'tokenizer.ggml.tokens': [],
    });
    const missing = await post('/api/show', { model: 'nope' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "model 'nope' not found" });
  });

  it('loads with an empty chat, shows it in /api/ps with its size and window, and unloads with keep_alive 0', async () => {
    const load = await post('/api/chat', { model: 'stories260k:latest', messages: [], options: { num_ctx: 512 } });
    expect(await load.json()).toEqual({
      model: 'stories260k:latest',
      created_at: expect.any(String),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'load',
    });
    const ps = (await (await fetch(`${server.url}/api/ps`)).json()) as { models: Record<string, unknown>[] };
    expect(ps.models).toEqual([
      expect.objectContaining({
        name: 'stories260k:latest',
        size: expect.any(Number),
        size_vram: 0,
        context_length: 512,
        expires_at: expect.any(String),
      }),
    ]);
    expect(ps.models[0]?.size).toBeGreaterThan(1_185_376);
    const unload = await post('/api/chat', { model: 'stories260k:latest', messages: [], keep_alive: 0 });
    expect(await unload.json()).toMatchObject({ done: true, done_reason: 'unload' });
    expect(((await (await fetch(`${server.url}/api/ps`)).json()) as { models: unknown[] }).models).toEqual([]);
  });

  it('streams an answer as NDJSON and ends with done, done_reason and the eval counts', async () => {
    const response = await post('/api/chat', {
      model: 'stories260k:latest',
      messages: [{ role: 'user', content: 'Once upon a time' }],
      options: { num_ctx: 512, num_predict: 12, seed: 1 },
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = await ndjson(response);
    const final = lines.at(-1) as Record<string, unknown>;
    for (const line of lines.slice(0, -1)) {
      expect(line).toEqual({
        model: 'stories260k:latest',
        created_at: expect.any(String),
        message: { role: 'assistant', content: expect.any(String) },
        done: false,
      });
    }
    expect(final).toMatchObject({ done: true, done_reason: 'length', eval_count: 12, message: { content: '' } });
    expect(final.prompt_eval_count).toBeGreaterThan(0);
    for (const key of ['total_duration', 'load_duration', 'prompt_eval_duration', 'eval_duration']) {
      expect(Number.isInteger(final[key])).toBe(true);
    }
    expect(
      lines
        .slice(0, -1)
        .map((l) => (l.message as { content: string }).content)
        .join(''),
    ).toMatch(/\w/);
  });

  it('answers whole with stream false, and 404s a chat with an unknown model', async () => {
    const whole = await post('/api/chat', {
      model: 'stories260k',
      stream: false,
      messages: [{ role: 'user', content: 'Once upon a time' }],
      options: { num_ctx: 512, num_predict: 5 },
    });
    expect(whole.headers.get('content-type')).toContain('application/json');
    expect(await whole.json()).toMatchObject({ done: true, eval_count: 5, message: { content: expect.any(String) } });
    const missing = await post('/api/chat', { model: 'nope', messages: [{ role: 'user', content: 'hi' }] });
    expect(missing.status).toBe(404);
  });

  it('stops generating when the client goes away mid-answer, and answers the next request', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      signal: controller.signal,
      body: JSON.stringify({
        model: 'stories260k',
        messages: [{ role: 'user', content: 'Once' }],
        options: { num_ctx: 512 },
      }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const next = await post('/api/chat', {
      model: 'stories260k',
      stream: false,
      messages: [{ role: 'user', content: 'Once' }],
      options: { num_ctx: 512, num_predict: 3 },
    });
    expect(await next.json()).toMatchObject({ done: true, eval_count: 3 });
  });

  it('reads keep_alive as Ollama does: seconds, Go durations, negative for ever', () => {
    expect(keepAliveMs(undefined)).toBe(5 * 60_000);
    expect(keepAliveMs(30)).toBe(30_000);
    expect(keepAliveMs('1h30m')).toBe(90 * 60_000);
    expect(keepAliveMs('0')).toBe(0);
    expect(keepAliveMs(-1)).toBeNull();
    expect(keepAliveMs('-1m')).toBeNull();
    expect(() => keepAliveMs('soon')).toThrow('invalid duration');
  });
});
