/**
 * `mai` with Ollama and OpenAI-compatible servers (issue 17's "done when"): the spawned CLI against the compatible
 * test servers in this process, the real engine behind them, so the CLI runs asynchronously (spawnCli) while this
 * event loop serves the servers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { sharedModelsDir } from '../../test/fixtures';
import { startOllamaServer, type RunningOllamaServer } from '../../test/ollama-server';
import { startOpenAiServer, type RunningOpenAiServer } from '../../test/openai-server';
import { spawnCli } from '../../test/runCli';
import type { ChatResultView, ModelListing } from '../shared/contract';

const token = 'sk-host-t0ken-5150';
let ollama: RunningOllamaServer;
let studio: RunningOllamaServer;
let openAi: RunningOpenAiServer;
beforeAll(async () => {
  [ollama, studio, openAi] = await Promise.all([
    startOllamaServer({ modelsDir: sharedModelsDir() }),
    startOllamaServer({ modelsDir: sharedModelsDir() }),
    startOpenAiServer({ modelsDir: sharedModelsDir(), apiKey: token, describeModels: true }),
  ]);
});
afterAll(() => Promise.all([ollama.close(), studio.close(), openAi.close()]));

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env);
  const status = await cli.exited;
  return { status, ...cli.output };
}

/** No GGUF files of its own: every model comes from the servers. */
function envWith(extra: Record<string, string>): Record<string, string> & { MAI_HOME: string } {
  return { ...cliEnv('none'), MAI_OLLAMA_URL: 'off', ...extra };
}

describe('mai with Ollama and OpenAI-compatible servers', () => {
  it('lists the models of MAI_OLLAMA_URL as ollama models and answers through one', async () => {
    const env = envWith({ MAI_OLLAMA_URL: ollama.url });
    const models = await run(['models', '--json'], env);
    expect(models, models.stderr).toMatchObject({ status: 0 });
    const listed = JSON.parse(models.stdout) as ModelListing[];
    expect(listed.map((m) => `${m.backend}:${m.key}`).sort()).toEqual([
      'ollama:llama-2-tiny-random:latest',
      'ollama:stories260k:latest',
    ]);
    const chat = await run(['chat', '-m', 'Once upon a time', '--model', 'stories260k:latest', '--json'], env);
    expect(chat, chat.stderr).toMatchObject({ status: 0 });
    const answer = JSON.parse(chat.stdout) as ChatResultView;
    expect(answer.model).toMatchObject({ key: 'stories260k:latest', backend: 'ollama' });
    expect(answer.text).toMatch(/\b(the|and|was|a)\b/);
    expect(answer.stats.predictedTokens).toBeGreaterThan(0);
  }, 60_000);

  it('lists the models of MAI_OPENAI_URL as openai models on that server, and answers through one', async () => {
    const env = envWith({ MAI_OPENAI_URL: openAi.url });
    mkdirSync(path.join(env.MAI_HOME, 'config'), { recursive: true });
    writeFileSync(path.join(env.MAI_HOME, 'config', 'openai-api-token'), `${token}\n`, { mode: 0o600 });
    const models = await run(['models', '--json'], env);
    expect(models, models.stderr).toMatchObject({ status: 0 });
    const listed = JSON.parse(models.stdout) as ModelListing[];
    expect(listed.map((m) => m.backend)).toEqual(['openai', 'openai']);
    expect(listed[0]?.host?.name).toBe(`127.0.0.1:${openAi.port}`);
    const chat = await run(['chat', '-m', 'Once upon a time', '--model', 'stories260k'], env);
    expect(chat, chat.stderr).toMatchObject({ status: 0 });
    expect(chat.stdout).toMatch(/— stories260k \(openai, \d+ tokens\/s\)\n$/);
    const status = await run(['status', '--json'], env);
    expect(status.stdout).not.toContain(token);
  }, 60_000);

  it('groups the models of two hosts by host, and shows each host in status', async () => {
    const env = envWith({});
    mkdirSync(path.join(env.MAI_HOME, 'config'), { recursive: true });
    writeFileSync(
      path.join(env.MAI_HOME, 'config', 'hosts.yaml'),
      [
        'hosts:',
        `  - { name: studio-pc, kind: ollama, url: "${studio.url}", memory_gb: 64 }`,
        `  - { name: rig, kind: openai, url: "${openAi.url}", token_file: rig.token }`,
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(env.MAI_HOME, 'config', 'rig.token'), token, { mode: 0o600 });
    const models = await run(['models'], env);
    expect(models, models.stderr).toMatchObject({ status: 0 });
    const lines = models.stdout.split('\n');
    expect(lines.filter((l) => l.endsWith(':'))).toEqual(['rig:', 'studio-pc:']);
    expect(lines[lines.indexOf('studio-pc:') + 1]).toMatch(/^studio-pc\/\S+\s+ollama/);
    expect(lines[lines.indexOf('rig:') + 1]).toMatch(/^rig\/\S+\s+openai/);
    const status = await run(['status'], env);
    expect(status.stdout).toMatch(/^ {2}Host studio-pc\s+ready: 2 models \(0 loaded\), 0 B used of 64\.0 GiB/m);
    expect(status.stdout).toMatch(/^ {2}Host rig\s+ready: 2 models/m);
    expect(status.stdout + status.stderr).not.toContain(token);
  }, 60_000);
});
