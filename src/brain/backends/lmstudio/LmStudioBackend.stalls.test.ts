import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../../../test/lmstudio-server';
import { recordUnhandledRejections, waitUntil } from '../../../../test/lmstudio-server/testSupport';
import type { Clock } from '../../clock';
import type { ModelBackend } from '../ModelBackend';
import { createLmStudioBackend } from './LmStudioBackend';
import type { LmStudioBackendOptions } from './lmStudioBackendOptions';

/** A clock the test moves: the wait before a stalled LM Studio is checked again passes without sleeping. */
function scriptedClock(): Clock & { advance(ms: number): void } {
  let nowMs = 0;
  return { nowMs: () => nowMs, monotonicMs: () => nowMs, advance: (ms) => void (nowMs += ms) };
}

/** A frozen LM Studio: the answer stops streaming, Mai gives up within seconds and skips it until it streams again. */
describe('LM Studio backend when an answer stalls', () => {
  const unhandled = recordUnhandledRejections();
  const backends: ModelBackend[] = [];
  let server: RunningServer;
  const chat = [{ role: 'user' as const, content: 'Tell me a story' }];
  const open = async (options: LmStudioBackendOptions = {}) => {
    const backend = createLmStudioBackend({ url: server.url, callTimeoutMs: 5_000, ...options });
    backends.push(backend);
    await backend.load('stories260k', { contextLength: 256 });
    return backend;
  };

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
  });
  afterEach(async () => {
    server.setFaults({});
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
  });
  afterAll(async () => {
    await server.close();
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  // The test's own time limit is the requirement: with Mai's default deadlines a stalled stream ends within 10 s.
  it(
    'names a stream that stops mid-answer as stalled, with the default deadlines, within 10 s',
    {
      timeout: 10_000,
    },
    async () => {
      const backend = await open();
      server.setFaults({ stallPredictAfterFragments: 3 });
      const fragments: string[] = [];
      const answer = backend.respond('stories260k', chat, {
        maxTokens: 200,
        onFragment: (text) => fragments.push(text),
      });
      await expect(answer).rejects.toMatchObject({ code: 'stalled', backend: 'lmstudio' });
      await expect(answer).rejects.toThrow(/stopped streaming stories260k's answer: nothing for 5 s after 3 tokens/);
      expect(fragments).toHaveLength(3);
    },
  );

  it('skips LM Studio at once while it is stalled, says so in health, and takes it back once it streams', async () => {
    const clock = scriptedClock();
    const backend = await open({ clock, firstFragmentTimeoutMs: 300, fragmentStallTimeoutMs: 300 });
    server.setFaults({ stallPredictAfterFragments: 0 });
    await expect(backend.respond('stories260k', chat)).rejects.toThrow(/nothing for 0.3 s before any text/);
    const health = await backend.health();
    expect(health).toMatchObject({ status: 'error', detail: expect.stringContaining('It looks frozen') });
    expect(health.detail).toContain('next check in 15 s');
    // Every call but unloading fails at once instead of waiting out a deadline per message.
    await expect(backend.listModels()).rejects.toMatchObject({ code: 'stalled' });
    await expect(backend.countTokens('stories260k', 'hi')).rejects.toMatchObject({ code: 'stalled' });

    // Still frozen at the first check: the next one waits twice as long.
    clock.advance(15_000);
    expect((await backend.health()).detail).toContain('checking now');
    await waitUntil('the first check failed', async () =>
      (await backend.health()).detail.includes('next check in 30 s'),
    );

    server.setFaults({});
    clock.advance(30_000);
    await backend.health();
    await waitUntil('LM Studio is taken back', async () => (await backend.health()).status === 'ready');
    expect((await backend.respond('stories260k', chat, { maxTokens: 4 })).stats.predictedTokens).toBe(4);
  });

  it('keeps a caller-chosen silence bound a timeout, and LM Studio in use', async () => {
    const backend = await open();
    server.setFaults({ stallPredictAfterFragments: 2 });
    await expect(backend.respond('stories260k', chat, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'timeout' });
    expect((await backend.health()).status).toBe('ready');
  });

  it('does not let a frozen LM Studio hold up closing', { timeout: 8_000 }, async () => {
    const backend = await open({ firstFragmentTimeoutMs: 300, fragmentStallTimeoutMs: 300 });
    server.setFaults({ stallPredictAfterFragments: 0, neverAnswer: ['unloadModel'] });
    await expect(backend.respond('stories260k', chat)).rejects.toMatchObject({ code: 'stalled' });
    // Unloading gets a short deadline while LM Studio is stalled (its idle TTL unloads the model later).
    await backend.close();
    backends.splice(0);
    server.setFaults({});
    for (const { identifier } of [...server.instances.all()]) await server.eject(identifier);
  });
});
