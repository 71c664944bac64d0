import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../../../test/lmstudio-server';
import { closedPort, recordUnhandledRejections } from '../../../../test/lmstudio-server/testSupport';
import type { Logger } from '../../logger';
import type { ModelBackend } from '../ModelBackend';
import { createLmStudioBackend } from './LmStudioBackend';

const token = 'sk-lm-abcd1234:abcdefghij0123456789';
const passkey = 'abcdefghij0123456789';

/** Every line a backend logs, to check that no secret ends up in one. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string, fields?: Record<string, unknown>) => void lines.push(message + JSON.stringify(fields));
  return { lines, info: log, warn: log, error: log };
}

/** Reaching LM Studio: where it says it listens, and with the API token it may require. */
describe('LM Studio backend finding and entering LM Studio', () => {
  const unhandled = recordUnhandledRejections();
  const backends: ModelBackend[] = [];
  let server: RunningServer;
  let home: string;
  const track = (backend: ModelBackend) => (backends.push(backend), backend);

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    home = await mkdtemp(path.join(tmpdir(), 'mai-lmstudio-access-'));
  });
  afterAll(async () => {
    await Promise.all(backends.map((backend) => backend.close()));
    await server.close();
    await rm(home, { recursive: true, force: true });
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  it('finds LM Studio on the port it published in its own folder, before the fixed ports', async () => {
    await mkdir(path.join(home, '.lmstudio', '.internal'), { recursive: true });
    const info = { host: '127.0.0.1', pid: process.pid, port: server.port };
    await writeFile(path.join(home, '.lmstudio', '.internal', 'http-server.json'), JSON.stringify(info));
    const backend = track(createLmStudioBackend({ env: {}, homeDir: home, ports: [await closedPort()] }));
    expect(await backend.health()).toMatchObject({ status: 'ready', detail: `LM Studio 0.3.30 at ${server.url}` });
  });

  it('names a refusal by an LM Studio that requires a token, and says how to give one', async () => {
    server.setFaults({ requireApiToken: token });
    const health = await track(createLmStudioBackend({ url: server.url, env: {} })).health();
    expect(health.status).toBe('unavailable');
    expect(health.detail).toContain('requires a valid API token');
    expect(health.detail).toContain('set LM_API_TOKEN');
  });

  it('enters with the token from LM_API_TOKEN, and never shows it', async () => {
    server.setFaults({ requireApiToken: token });
    const logger = recordingLogger();
    const backend = track(createLmStudioBackend({ url: server.url, env: { LM_API_TOKEN: token }, logger }));
    const health = await backend.health();
    expect(health).toEqual({
      id: 'lmstudio',
      status: 'ready',
      detail: `LM Studio 0.3.30 at ${server.url} (API token from LM_API_TOKEN)`,
    });
    expect((await backend.listModels()).length).toBe(2);
    expect(logger.lines.join('\n')).not.toContain(passkey);
  });

  it('prefers the token Mai is configured with, and names a malformed one without quoting it', async () => {
    server.setFaults({ requireApiToken: token });
    const configured = track(createLmStudioBackend({ url: server.url, apiToken: token, env: { LM_API_TOKEN: 'x' } }));
    expect((await configured.health()).status).toBe('ready');
    const malformed = 'sk-lm-not-a-real-token';
    const logger = recordingLogger();
    const bad = track(createLmStudioBackend({ url: server.url, env: { LM_API_TOKEN: malformed }, logger }));
    const health = await bad.health();
    expect(health.status).toBe('unavailable');
    expect(health.detail).toContain('The LM Studio API token in LM_API_TOKEN does not look like one');
    expect(health.detail + logger.lines.join('\n')).not.toContain(malformed);
    await expect(bad.listModels()).rejects.toMatchObject({ code: 'refused' });
    server.setFaults({});
  });
});
