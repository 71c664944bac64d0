/**
 * Continuing an answer another model began, through the real SDK and the LM Studio-compatible server: the model
 * is fed its own template's rendering of the conversation with the answer so far after it (complete()), so it writes
 * on from there instead of closing that text as a finished message and starting a new turn (issue 15).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../../../test/lmstudio-server';
import type { EngineGenerateRequest } from '../../../../test/lmstudio-server/engine';
import type { ModelBackend } from '../ModelBackend';
import { createLmStudioBackend } from './LmStudioBackend';

describe('LM Studio continuing an answer', () => {
  let server: RunningServer;
  let backend: ModelBackend;
  const inputs: EngineGenerateRequest['input'][] = [];

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir(), faults: { onPredict: (i) => inputs.push(i) } });
    backend = createLmStudioBackend({ url: server.url, callTimeoutMs: 5_000 });
  });

  afterAll(async () => {
    await backend.close();
    await server.close();
    expect(server.warnings).toEqual([]);
  });

  it('feeds the template up to the answer, then the answer so far, verbatim; a fresh answer stays a chat', async () => {
    const loaded = await backend.load('stories260k', { contextLength: 512 });
    const conversation = [
      { role: 'system' as const, content: 'You tell stories.' },
      { role: 'user' as const, content: 'Tell me one.' },
    ];
    const continued = await backend.respond(
      loaded.identifier,
      [...conversation, { role: 'assistant', content: 'Once upon a time, there was a' }],
      { maxTokens: 24, temperature: 0 },
    );
    const fresh = await backend.respond(loaded.identifier, conversation, { maxTokens: 8, temperature: 0 });

    // The server renders stories260K's template (node-llama-cpp's general one); the prompt ends with the answer so
    // far, no end of turn after it and no second "### Assistant". (The server writes BOS whatever omitBosToken
    // says, and its complete() drops a leading one, as llama.cpp does not add a second.)
    expect(inputs[0]).toEqual({
      kind: 'raw',
      prompt: expect.stringMatching(
        /^(<s>)?You tell stories\.\n\n### Human\nTell me one\.\n\n### Assistant\nOnce upon a time, there was a$/,
      ),
    });
    expect(continued.text.length).toBeGreaterThan(0);
    expect(continued.stats.predictedTokens).toBeGreaterThan(0);
    expect(inputs[1]).toEqual({ kind: 'chat', messages: conversation });
    expect(fresh.text.length).toBeGreaterThan(0);
  });
});
