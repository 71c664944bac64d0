import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDownloadServer, type DownloadServer } from '../../test/downloadServer';
import { fixtureModelPath, fixtureModels } from '../../test/fixtures';
import { writeDownloadableFixtureConfig } from '../../test/firstRunConfig';
import type { EventPayload, Request, RequestName, ResponseValue } from '../shared/contract';
import { createBrain, type Brain } from './Brain';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';

const stories = fixtureModels.stories260K;
let server: DownloadServer;
let brain: Brain | undefined;
let maiHome: string;

beforeAll(async () => {
  server = await startDownloadServer({ [stories.file]: fixtureModelPath('stories260K') });
});
afterAll(() => server.close());
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
  rmSync(maiHome, { recursive: true, force: true });
  server.knobs.bytesPerTick = null;
});

/** A fresh machine: no models anywhere, and a user models.yaml that lists one download (the fixture, served here). */
async function freshMachine(): Promise<Brain> {
  maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-first-run-'));
  writeDownloadableFixtureConfig(maiHome, server.url(stories.file));
  brain = createBrain({
    maiHome,
    backends: [new EmbeddedBackend({ modelsDirs: [path.join(maiHome, 'models')], threads: 1, gpu: false })],
    pulls: { transfer: { retries: 1, retryDelayMs: 10, stallTimeoutMs: 5000 } },
  });
  await brain.start();
  return brain;
}

async function value<N extends RequestName>(mai: Brain, request: Request<N>): Promise<ResponseValue<N>> {
  const result = await mai.invoke(request);
  if (!result.ok) throw new Error(`${request.name}: ${result.error.message}`);
  return result.value;
}

describe('first run: a model that fits, fetched, then answering without a restart', () => {
  it('recommends the download, pulls it with progress, lists it and answers with it', async () => {
    const mai = await freshMachine();
    expect((await value(mai, { name: 'models.list', payload: {} })).models).toEqual([]);
    const { recommendations } = await value(mai, {
      name: 'models.recommended',
      payload: {},
    });
    expect(recommendations.find((r) => r.key === 'test/stories260k')).toMatchObject({
      fits: true,
      sizeBytes: stories.bytes,
      uri: server.url(stories.file),
    });

    const progress: EventPayload<'model.pullProgress'>[] = [];
    mai.subscribe('model.pullProgress', (p) => progress.push(p));
    const pulled = await value(mai, {
      name: 'models.pull',
      payload: { key: 'test/stories260k' },
    });
    expect(pulled).toMatchObject({ verified: true, path: path.join(maiHome, 'models', 'test', 'stories260k.gguf') });
    expect(progress.at(-1)).toMatchObject({ key: 'test/stories260k', phase: 'done', receivedBytes: stories.bytes });

    const { models } = await value(mai, { name: 'models.list', payload: {} });
    expect(models).toEqual([
      expect.objectContaining({ key: 'test/stories260k', displayName: 'Stories 260K', usable: true, fits: true }),
    ]);
    const answer = await value(mai, { name: 'chat.send', payload: { text: 'Once upon a time' } });
    expect(answer.model).toEqual({ key: 'test/stories260k', backend: 'embedded' });
    expect(answer.text.length).toBeGreaterThan(0);
    const after = await value(mai, {
      name: 'models.recommended',
      payload: {},
    });
    expect(after.recommendations.map((r) => r.key)).not.toContain('test/stories260k');
  });

  it('cancels on request, keeping the partial, and says so in progress and in the answer', async () => {
    const mai = await freshMachine();
    server.knobs.bytesPerTick = 8 * 1024;
    const progress: EventPayload<'model.pullProgress'>[] = [];
    let started: () => void = () => {};
    const downloading = new Promise<void>((resolve) => (started = resolve));
    mai.subscribe('model.pullProgress', (p) => {
      progress.push(p);
      if (p.phase === 'downloading' && p.receivedBytes > 0) started();
    });
    const pull = mai.invoke({ name: 'models.pull', payload: { key: 'test/stories260k' } });
    await downloading;
    expect(await mai.invoke({ name: 'models.pull', payload: { key: 'test/stories260k' } })).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('is being downloaded') },
    });
    expect(await value(mai, { name: 'models.pullCancel', payload: {} })).toEqual({ cancelled: true });
    expect(await pull).toMatchObject({
      ok: false,
      error: {
        code: 'unavailable',
        message: expect.stringMatching(/^download cancelled; \d+ of 1185376 bytes are kept/),
      },
    });
    expect(progress.at(-1)).toMatchObject({
      phase: 'cancelled',
      message: expect.stringContaining('pull again to resume'),
    });
    expect(await value(mai, { name: 'models.pullCancel', payload: {} })).toEqual({ cancelled: false });
  });

  it('names an unknown key as a bad request', async () => {
    const mai = await freshMachine();
    expect(await mai.invoke({ name: 'models.pull', payload: { key: 'nope' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('ones Mai can fetch: ') },
    });
  });
});
