import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { runCli, spawnCli } from '../../test/runCli';
import type { ModelListing } from '../shared/contract';
import { pinnedProblem } from './chatPreflight';
import { exitCodes } from './exitCodes';

/** A loopback port nothing listens on: bound, read, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const listing = (over: Partial<ModelListing>): ModelListing => ({
  key: 'big',
  displayName: 'Big',
  backend: 'embedded',
  category: 'large',
  sizeBytes: 1,
  contextWindow: 4096,
  capabilities: ['chat'],
  estimate: null,
  fits: true,
  reason: 'needs 40.0 GiB RAM; 3.0 GiB RAM free',
  loaded: false,
  usable: true,
  ...over,
});

describe('mai chat: errors a person can act on', () => {
  it.each([[['-m', 'hello']], [[]]])('no models (chat %j): where Mai looked and how to add one', (args) => {
    const run = runCli(['chat', ...args], cliEnv('none'), '/quit\n');
    expect(run.status).toBe(exitCodes.failure);
    for (const place of ['No models found', 'LM Studio', '~/.lmstudio/models', '~/.cache/lm-studio/models']) {
      expect(run.stderr).toContain(place);
    }
    expect(run.stderr).toContain('$MAI_HOME/models');
    expect(run.stderr).toContain('MAI_MODELS_DIR');
    expect(run.stderr).toContain('Add a GGUF file');
  });

  it('LM Studio not answering at MAI_LMSTUDIO_URL: says so and what to do, and answers without it, as serve does', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = runCli(['chat', '-m', 'Once upon a time'], { ...cliEnv(), MAI_LMSTUDIO_URL: url });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`LM Studio was not found at MAI_LMSTUDIO_URL=${url}`);
    expect(run.stderr).toContain('Mai answers without it');
    expect(run.stderr).toContain('unset it');
    expect(run.stdout).toMatch(/\(embedded/);
  });

  it('a pinned model Mai did not find names the key and how to see the others', () => {
    const run = runCli(['chat', '-m', 'hello', '--model', 'no-such-model'], cliEnv());
    expect(run.status).toBe(exitCodes.failure);
    expect(run.stderr).toContain('the pinned model "no-such-model" is not among the models Mai found');
    expect(run.stderr).toContain('mai models');
  });

  it('a pinned model that does not fit says what it needs and what is free', () => {
    expect(pinnedProblem([listing({ fits: false })], 'big')).toBe(
      'the pinned model big does not fit this machine now: needs 40.0 GiB RAM; 3.0 GiB RAM free. Free some memory, pin a smaller model ("mai models" lists them), or run "mai switch auto".',
    );
    expect(pinnedProblem([listing({ fits: false, loaded: true })], 'big')).toBeNull();
    expect(pinnedProblem([listing({ usable: false, reason: 'not a GGUF file' })], 'big')).toContain(
      'cannot be used: not a GGUF file',
    );
    expect(pinnedProblem([listing({})], 'big')).toBeNull();
  });

  it('--json needs -m: a usage error', () => {
    const run = runCli(['chat', '--json']);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('--json needs -m');
  });

  it('--help shows the slash commands and examples', () => {
    const run = runCli(['chat', '--help']);
    expect(run.status).toBe(0);
    for (const text of ['/switch <key|auto>', '/history', '/quit', 'Ctrl-C', 'Examples:']) {
      expect(run.stdout).toContain(text);
    }
  });
});

describe('mai serve', () => {
  it('tells of an LM Studio that does not answer at MAI_LMSTUDIO_URL the way chat does, and serves', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const serve = spawnCli(['serve', '--port', '0'], { ...cliEnv('none'), MAI_LMSTUDIO_URL: url });
    try {
      await serve.waitForStdout(/Mai is serving its dashboard at/);
      await vi.waitFor(
        () => expect(serve.output.stderr).toContain(`mai: LM Studio was not found at MAI_LMSTUDIO_URL=${url}`),
        { timeout: 20_000 },
      );
      expect(serve.output.stderr).toContain('Mai answers without it');
    } finally {
      serve.child.kill('SIGKILL');
    }
  });

  it('warns when serving beyond loopback, and still serves', async () => {
    const serve = spawnCli(['serve', '--host', '0.0.0.0', '--port', '0'], cliEnv('none'));
    try {
      await serve.waitForStdout(/Mai is serving its dashboard at http:\/\/0\.0\.0\.0:\d+\/#token=/);
      expect(serve.output.stderr).toContain('mai: warning: serving on 0.0.0.0, beyond this machine');
      serve.child.kill('SIGINT');
      expect(await serve.exited).toBe(0);
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});
