/**
 * The OpenAI-compatible server against OpenAI's documented chat-completions wire format, spoken raw with fetch: what
 * the OpenAI backend is tested against must be what such a server sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../fixtures';
import { startOpenAiServer, type RunningOpenAiServer } from './index';

const apiKey = 'sk-test-0123456789';
let server: RunningOpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({ modelsDir: sharedModelsDir(), apiKey, contextLength: 512 });
});
afterAll(() => server.close());

const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
const completion = (body: unknown) =>
  fetch(`${server.url}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });

/** The `data:` payloads of a server-sent event stream, in order. */
async function events(response: Response): Promise<string[]> {
  return (await response.text())
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return block.slice('data: '.length);
    });
}

describe('OpenAI-compatible server', () => {
  it('wants its API key, answering 401 with an OpenAI error object', async () => {
    const refused = await fetch(`${server.url}/models`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    });
  });

  it('lists its models as a list of model objects', async () => {
    const body = (await (await fetch(`${server.url}/models`, { headers })).json()) as {
      object: string;
      data: Record<string, unknown>[];
    };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id).sort()).toEqual(['llama-2-tiny-random', 'stories260k']);
    expect(body.data[0]).toEqual({
      id: expect.any(String),
      object: 'model',
      created: expect.any(Number),
      owned_by: expect.any(String),
    });
  });

  it('streams chunks: role first, content deltas, the finish reason, usage with no choices, then [DONE]', async () => {
    const response = await completion({
      model: 'stories260k',
      messages: [{ role: 'user', content: 'Once upon a time' }],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 10,
      seed: 1,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const data = await events(response);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown>);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: chunks[0]?.id, object: 'chat.completion.chunk', model: 'stories260k' });
    }
    expect(chunks[0]?.choices).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
    ]);
    const usage = chunks.at(-1) as { choices: unknown[]; usage: Record<string, number> };
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ completion_tokens: 10, prompt_tokens: expect.any(Number) });
    expect((chunks.at(-2)?.choices as { finish_reason: string }[])[0]?.finish_reason).toBe('length');
  });

  it('answers whole without stream, with usage', async () => {
    const body = (await (
      await completion({ model: 'stories260k', messages: [{ role: 'user', content: 'Once' }], max_tokens: 4 })
    ).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: expect.any(String) }, finish_reason: 'length' }],
      usage: { completion_tokens: 4 },
    });
  });

  it('refuses an unknown model (404) and a prompt its window cannot hold (400), with OpenAI codes', async () => {
    const unknown = await completion({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
    const long = await completion({ model: 'stories260k', messages: [{ role: 'user', content: 'word '.repeat(800) }] });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { code: string } }).error.code).toBe('context_length_exceeded');
  });
});
