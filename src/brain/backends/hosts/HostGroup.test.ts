/** Two Ollama-compatible servers on two loopback ports stand in for two hosts of one engine kind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import { startOllamaServer, type RunningOllamaServer } from '../../../../test/ollama-server';
import { silentLogger } from '../../logger';
import { createOllamaBackend } from '../ollama/OllamaBackend';
import { engineOfKind, hostMembers } from './hostBackends';
import type { HostGroup } from './HostGroup';

const gib = 1024 ** 3;
let studio: RunningOllamaServer;
let rig: RunningOllamaServer;
beforeAll(async () => {
  [studio, rig] = await Promise.all([
    startOllamaServer({ modelsDir: sharedModelsDir() }),
    startOllamaServer({ modelsDir: sharedModelsDir() }),
  ]);
});
afterAll(() => Promise.all([studio.close(), rig.close()]));

function group(withLocal = false): HostGroup {
  const hosted = hostMembers(
    [
      { name: 'studio-pc', kind: 'ollama', url: studio.url, tokenFile: null, capacityBytes: 64 * gib },
      { name: 'rig', kind: 'ollama', url: rig.url, tokenFile: null, capacityBytes: null },
    ],
    silentLogger,
  );
  const local = withLocal ? createOllamaBackend({ url: studio.url }) : null;
  return engineOfKind('ollama', local, hosted) as HostGroup;
}

describe('HostGroup', () => {
  it("lists every host's models under the host's name, each with its host's memory", async () => {
    const models = await group().listModels();
    expect(models.map((m) => m.key).sort()).toEqual([
      'rig/llama-2-tiny-random:latest',
      'rig/stories260k:latest',
      'studio-pc/llama-2-tiny-random:latest',
      'studio-pc/stories260k:latest',
    ]);
    expect(models.find((m) => m.key === 'studio-pc/stories260k:latest')?.host).toEqual({
      name: 'studio-pc',
      capacityBytes: 64 * gib,
      // Ollama's /api/ps lists every loaded model: none loaded is nothing used.
      usedBytes: 0,
    });
  });

  it('loads and answers on the host a key names, and only there', async () => {
    const engines = group();
    const loaded = await engines.load('rig/stories260k:latest', { contextLength: 512 });
    expect(loaded).toMatchObject({ identifier: 'rig/stories260k:latest', key: 'rig/stories260k:latest' });
    expect(rig.runners.get('stories260k:latest')).toBeDefined();
    expect(studio.runners.get('stories260k:latest')).toBeUndefined();
    const answer = await engines.respond(loaded.identifier, [{ role: 'user', content: 'Once upon a time' }], {
      maxTokens: 8,
    });
    expect(answer.text.length).toBeGreaterThan(0);
    const [onRig] = await engines.listLoaded();
    expect(onRig?.key).toBe('rig/stories260k:latest');
    expect((await engines.listModels()).find((m) => m.key.startsWith('rig/'))?.host?.usedBytes).toBeGreaterThan(0);
    await engines.unload(loaded.identifier);
    expect(rig.runners.all()).toEqual([]);
  });

  it("keeps this machine's own models unprefixed beside the hosts'", async () => {
    const keys = (await group(true).listModels()).map((m) => m.key);
    expect(keys).toContain('stories260k:latest');
    expect(keys).toContain('studio-pc/stories260k:latest');
  });

  it('leaves out a host that went away, says so in its status, and lists the other', async () => {
    const port = rig.port;
    await rig.close();
    const engines = group();
    const keys = (await engines.listModels()).map((m) => m.key);
    expect(keys.every((k) => k.startsWith('studio-pc/'))).toBe(true);
    const health = await engines.health();
    expect(health.status).toBe('ready');
    expect(health.hosts).toEqual([
      expect.objectContaining({ name: 'studio-pc', kind: 'ollama', status: 'ready', models: 2 }),
      expect.objectContaining({
        name: 'rig',
        status: 'unavailable',
        models: 0,
        detail: expect.stringContaining(`${port}`),
      }),
    ]);
    expect(health.hosts?.[0]?.memory).toEqual({ usedBytes: 0, capacityBytes: 64 * gib });
    rig = await startOllamaServer({ modelsDir: sharedModelsDir(), port });
  });
});
