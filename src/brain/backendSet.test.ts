import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../test/lmstudio-server';
import { startOllamaServer } from '../../test/ollama-server';
import { startOpenAiServer } from '../../test/openai-server';
import { createDefaultBackends, lmStudioTokenFile, openAiTokenFile } from './backendSet';
import type { ModelBackend } from './backends/ModelBackend';
import { silentLogger } from './logger';

let server: RunningServer | undefined;
let backends: ModelBackend[] = [];
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(backends.map((b) => b.close()));
  backends = [];
  await server?.close();
  server = undefined;
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

/** A home whose LM Studio published the port of a running (LM Studio-compatible) server, as LM Studio does. */
async function homeWithPublishedLmStudio(): Promise<string> {
  server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
  const home = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
  mkdirSync(path.join(home, '.lmstudio', '.internal'), { recursive: true });
  writeFileSync(path.join(home, '.lmstudio', '.internal', 'http-server.json'), JSON.stringify({ port: server.port }));
  return home;
}

async function lmStudioHealth(env: Record<string, string>, maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-'))) {
  backends = createDefaultBackends({ maiHome, logger: silentLogger, env });
  return backends.find((b) => b.id === 'lmstudio')!.health();
}

describe('createDefaultBackends', () => {
  it('finds the LM Studio this home published', async () => {
    const home = await homeWithPublishedLmStudio();
    expect((await lmStudioHealth({ HOME: home })).status).toBe('ready');
  });

  it('with MAI_LMSTUDIO_DISCOVERY=off looks nowhere but MAI_LMSTUDIO_URL', async () => {
    const home = await homeWithPublishedLmStudio();
    const off = await lmStudioHealth({ HOME: home, MAI_LMSTUDIO_DISCOVERY: 'off' });
    expect(off.status).not.toBe('ready');
    const byUrl = await lmStudioHealth({ HOME: home, MAI_LMSTUDIO_DISCOVERY: 'off', MAI_LMSTUDIO_URL: server!.url });
    expect(byUrl.status).toBe('ready');
  });

  it('reaches an LM Studio that requires an API token with the one in $MAI_HOME/config, and never shows it', async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    const token = 'sk-lm-mai12345:s3cretPasskey0123456';
    server.setFaults({ requireApiToken: token });
    const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-'));
    const env = { MAI_LMSTUDIO_URL: server.url };
    expect((await lmStudioHealth(env, maiHome)).status).not.toBe('ready');
    await Promise.all(backends.map((b) => b.close()));
    mkdirSync(path.join(maiHome, 'config'));
    writeFileSync(lmStudioTokenFile(maiHome), `${token}\n`, { mode: 0o600 });
    const health = await lmStudioHealth(env, maiHome);
    expect(health.status).toBe('ready');
    expect(JSON.stringify(health)).not.toContain('s3cretPasskey');
  });

  it('adds Ollama at MAI_OLLAMA_URL (none with off) and an OpenAI-compatible server at MAI_OPENAI_URL', async () => {
    const ollama = await startOllamaServer({ modelsDir: sharedModelsDir() });
    const token = 'sk-openai-t0ken-7788';
    const openAi = await startOpenAiServer({ modelsDir: sharedModelsDir(), apiKey: token });
    closers.push(ollama.close, openAi.close);
    const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-'));
    mkdirSync(path.join(maiHome, 'config'));
    writeFileSync(openAiTokenFile(maiHome), `${token}\n`, { mode: 0o600 });
    backends = createDefaultBackends({
      maiHome,
      logger: silentLogger,
      env: { MAI_OLLAMA_URL: ollama.url, MAI_OPENAI_URL: openAi.url },
    });
    expect(backends.map((b) => b.id)).toEqual(['lmstudio', 'embedded', 'ollama', 'openai']);
    const healths = await Promise.all(backends.slice(2).map((b) => b.health()));
    expect(healths.map((h) => h.status)).toEqual(['ready', 'ready']);
    expect(JSON.stringify(healths)).not.toContain(token);
    const off = createDefaultBackends({ maiHome, logger: silentLogger, env: { MAI_OLLAMA_URL: 'off' } });
    expect(off.map((b) => b.id)).toEqual(['lmstudio', 'embedded']);
  });

  it("groups this machine's Ollama with the hosts of hosts.yaml that run one", async () => {
    const studio = await startOllamaServer({ modelsDir: sharedModelsDir() });
    closers.push(studio.close);
    const hosts = [
      { name: 'studio-pc', kind: 'ollama' as const, url: studio.url, tokenFile: null, capacityBytes: null },
    ];
    backends = createDefaultBackends({
      maiHome: os.tmpdir(),
      logger: silentLogger,
      env: { MAI_OLLAMA_URL: 'off' },
      hosts,
    });
    const ollama = backends.find((b) => b.id === 'ollama');
    expect((await ollama?.health())?.hosts).toEqual([expect.objectContaining({ name: 'studio-pc', status: 'ready' })]);
    expect((await ollama?.listModels())?.map((m) => m.key).sort()).toEqual([
      'studio-pc/llama-2-tiny-random:latest',
      'studio-pc/stories260k:latest',
    ]);
  });

  it('reaches an LM Studio on a host through its http:// URL, its models under the host name', async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
    const hosts = [
      {
        name: 'studio',
        kind: 'lmstudio' as const,
        url: `http://127.0.0.1:${server.port}`,
        tokenFile: null,
        capacityBytes: null,
      },
    ];
    const env = { MAI_OLLAMA_URL: 'off', MAI_LMSTUDIO_DISCOVERY: 'off', MAI_MODELS_DIR: sharedModelsDir() };
    backends = createDefaultBackends({ maiHome: os.tmpdir(), logger: silentLogger, env, hosts });
    const lmStudio = backends.find((b) => b.id === 'lmstudio');
    expect((await lmStudio?.health())?.hosts).toEqual([expect.objectContaining({ name: 'studio', status: 'ready' })]);
    const models = (await lmStudio?.listModels()) ?? [];
    expect(models.map((m) => m.key).sort()).toEqual(['studio/llama-2-tiny-random', 'studio/stories260k']);
    const loaded = await lmStudio?.load('studio/stories260k', { contextLength: 512 });
    expect(loaded?.identifier).toMatch(/^studio\//);
    expect(server.instances.all().map((i) => i.model.info.modelKey)).toEqual(['stories260k']);
    const answer = await lmStudio?.respond(loaded?.identifier ?? '', [{ role: 'user', content: 'Once upon a time' }], {
      maxTokens: 8,
    });
    expect(answer?.text.length).toBeGreaterThan(0);
  });
});
