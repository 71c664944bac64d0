import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../../../test/lmstudio-server';
import { recordUnhandledRejections } from '../../../../test/lmstudio-server/testSupport';
import type { ModelBackend } from '../ModelBackend';
import { createLmStudioBackend } from './LmStudioBackend';

/** A thinking model (Qwen3-style `<think>`), scripted by the server in front of the real engine's answer. */
describe('LM Studio backend with a thinking model', () => {
  const unhandled = recordUnhandledRejections();
  let server: RunningServer;
  let backend: ModelBackend;
  const chat = [
    { role: 'system' as const, content: 'Tell a story.' },
    { role: 'user' as const, content: 'Once upon a time' },
  ];
  const thinking = `Let me think${' step'.repeat(39)}`;

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    backend = createLmStudioBackend({ url: server.url, callTimeoutMs: 5_000 });
    await backend.load('stories260k', { contextLength: 512 });
  });
  afterEach(() => server.setFaults({}));
  afterAll(async () => {
    await backend.close();
    await server.close();
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
    expect(server.warnings).toEqual([]);
  });

  it('gives reasoning its own budget: the answer keeps all of maxTokens, the reasoning comes back apart', async () => {
    server.setFaults({ think: { tokens: 40, ignoreBudget: true } });
    const fragments: string[] = [];
    const result = await backend.respond('stories260k', chat, {
      maxTokens: 12,
      maxReasoningTokens: 100,
      onFragment: (text) => fragments.push(text),
    });
    expect(result.reasoning).toBe(thinking);
    expect(result.text).not.toContain('think');
    expect(fragments.join('')).toBe(result.text);
    // The answer stops at its own 12 tokens, however little of the reasoning budget was used.
    expect(result.stats.stopReason).toBe('maxTokens');
    expect(result.stats.predictedTokens).toBeGreaterThanOrEqual(12 + 42);
  });

  it('sends the reasoning budget for an LM Studio that ends thinking there', async () => {
    server.setFaults({ think: { tokens: 40 } });
    const result = await backend.respond('stories260k', chat, { maxTokens: 12, maxReasoningTokens: 5 });
    expect(result.reasoning).toBe(`Let me think${' step'.repeat(4)}`);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('names an answer that was all thinking as empty_answer, so another model can answer', async () => {
    server.setFaults({ think: { tokens: 40, ignoreBudget: true } });
    // Without a reasoning budget the thinking eats the whole limit, as with the old 512-token cap.
    const cut = backend.respond('stories260k', chat, { maxTokens: 12 });
    await expect(cut).rejects.toMatchObject({ code: 'empty_answer', backend: 'lmstudio' });
    await expect(cut).rejects.toThrow(
      'stories260k gave no answer after 11 tokens of reasoning: it reached its token limit.',
    );
    server.setFaults({ think: { tokens: 3, thenAnswer: false } });
    await expect(backend.respond('stories260k', chat, { maxTokens: 12, maxReasoningTokens: 100 })).rejects.toThrow(
      'stories260k gave no answer after 3 tokens of reasoning: it stopped by itself.',
    );
  });

  it('returns no reasoning for a model that does not think', async () => {
    const result = await backend.respond('stories260k', chat, { maxTokens: 8, maxReasoningTokens: 100 });
    expect(result.reasoning).toBeUndefined();
    expect(result.stats.stopReason).toBe('maxTokens');
  });
});
