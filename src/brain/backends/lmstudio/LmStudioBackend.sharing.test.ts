import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../../../test/lmstudio-server';
import { recordUnhandledRejections, waitUntil } from '../../../../test/lmstudio-server/testSupport';
import type { ModelBackend } from '../ModelBackend';
import { createLmStudioBackend } from './LmStudioBackend';

/** Sharing LM Studio with the person: their loads, their ejects, and idle TTLs. Real SDK, real engine. */
describe('LM Studio backend sharing LM Studio with the person', () => {
  const unhandled = recordUnhandledRejections();
  const backends: ModelBackend[] = [];
  let server: RunningServer;
  const open = (idleTtlMs?: number) => {
    const backend = createLmStudioBackend({
      url: server.url,
      callTimeoutMs: 5_000,
      ...(idleTtlMs ? { idleTtlMs } : {}),
    });
    backends.push(backend);
    return backend;
  };
  const loadsByMai = () => server.loads.filter((load) => load.by === 'client');
  const chat = [{ role: 'user' as const, content: 'Once upon a time' }];

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
  });
  afterEach(async () => {
    await Promise.all(backends.splice(0).map((backend) => backend.close()));
    for (const { identifier } of [...server.instances.all()]) await server.eject(identifier);
  });
  afterAll(async () => {
    await server.close();
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
    expect(server.warnings).toEqual([]);
  });

  it('reuses the model the person loaded when its context is enough: no second instance', async () => {
    await server.loadAsPerson('stories260k', { contextLength: 512 });
    const backend = open();
    const loaded = await backend.load('stories260k', { contextLength: 256 });
    expect(loaded).toMatchObject({ identifier: 'stories260k', contextLength: 512, reused: true });
    expect(loaded.note).toContain('already loaded in LM Studio as stories260k with 512 tokens of context');
    expect(loadsByMai()).toEqual([]);
    expect((await backend.respond(loaded.identifier, chat, { maxTokens: 8 })).text.length).toBeGreaterThan(0);
    // Letting go of it, or closing, leaves the person's model where it was.
    await backend.unload(loaded.identifier);
    await backend.close();
    expect(server.instances.all().map((instance) => instance.identifier)).toEqual(['stories260k']);
  });

  it('loads another instance when the one loaded is too small, and says so', async () => {
    await server.loadAsPerson('stories260k', { contextLength: 256 });
    const loaded = await open().load('stories260k', { contextLength: 512 });
    expect(loaded).toMatchObject({ identifier: 'stories260k:2', contextLength: 512 });
    expect(loaded.reused).toBeUndefined();
    expect(loaded.note).toBe(
      'stories260k is already loaded in LM Studio (stories260k with 256 tokens of context), less than the 512 ' +
        'tokens Mai needs: loaded another instance (stories260k:2)',
    );
    expect(loadsByMai()).toHaveLength(1);
  });

  it('loads with an idle TTL, which each answer re-arms', async () => {
    const before = loadsByMai().length;
    const backend = open(90_000);
    const loaded = await backend.load('stories260k', { contextLength: 256 });
    expect(loadsByMai().slice(before)).toEqual([
      { modelKey: 'stories260k', identifier: 'stories260k', ttlMs: 90_000, by: 'client' },
    ]);
    const usesBefore = server.instances.uses.get(loaded.identifier) ?? 0;
    await backend.respond(loaded.identifier, chat, { maxTokens: 4 });
    expect(server.instances.uses.get(loaded.identifier)).toBeGreaterThan(usesBefore);
    // Shutting down unloads what Mai loaded, as before.
    await backend.close();
    expect(server.instances.all()).toEqual([]);
  });

  it('loads the model again at the next message when the person ejected it', async () => {
    const backend = open();
    const loaded = await backend.load('stories260k', { contextLength: 256 });
    await server.eject(loaded.identifier);
    const before = loadsByMai().length;
    // Mai counts the conversation's tokens first, then answers: both find the model again.
    expect(await backend.countTokens(loaded.identifier, 'Once upon a time')).toBeGreaterThan(0);
    const answer = await backend.respond(loaded.identifier, chat, { maxTokens: 8 });
    expect(answer.text.length).toBeGreaterThan(0);
    expect(loadsByMai().slice(before)).toEqual([
      expect.objectContaining({ identifier: 'stories260k', ttlMs: 60 * 60_000 }),
    ]);
    expect(await backend.contextLength(loaded.identifier)).toBe(256);
  });

  it('loads it again when its idle TTL ran out while Mai was away', async () => {
    const backend = open(1_000);
    const loaded = await backend.load('stories260k', { contextLength: 256 });
    await waitUntil('LM Studio unloaded the idle model', async () => server.instances.all().length === 0);
    expect((await backend.respond(loaded.identifier, chat, { maxTokens: 4 })).stats.predictedTokens).toBe(4);
  });

  it('answers not_found for a model it never handed out, without loading anything', async () => {
    const before = server.loads.length;
    await expect(open().respond('llama-2-tiny-random', chat)).rejects.toMatchObject({ code: 'not_found' });
    expect(server.loads.length).toBe(before);
  });
});
