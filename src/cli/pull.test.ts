import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { startDownloadServer, type DownloadServer } from '../../test/downloadServer';
import { fixtureModelPath, fixtureModels } from '../../test/fixtures';
import { writeDownloadableFixtureConfig } from '../../test/firstRunConfig';
import { spawnCli } from '../../test/runCli';
import type { ChatResultView, RecommendationView } from '../shared/contract';
import { exitCodes } from './exitCodes';

const stories = fixtureModels.stories260K;
let server: DownloadServer;

beforeAll(async () => {
  server = await startDownloadServer({ [stories.file]: fixtureModelPath('stories260K') });
});
afterAll(() => server.close());
beforeEach(() => {
  Object.assign(server.knobs, { cutNextAfterBytes: null, refuseWith: null, bytesPerTick: null, ignoreRange: false });
});

/** A machine with no models at all, whose user models.yaml lists the fixture as a download from the local server. */
function freshHome(sha256: string = stories.sha256) {
  const env = cliEnv('none');
  writeDownloadableFixtureConfig(env.MAI_HOME, server.url(stories.file), sha256);
  return env;
}

/** Runs `mai` without blocking this process (the download server lives here), to its exit. */
async function mai(args: string[], env: Record<string, string>) {
  const run = spawnCli(args, env);
  const status = await run.exited;
  return { status, ...run.output };
}

function until(check: () => boolean, what: string): Promise<void> {
  return vi.waitFor(
    () => {
      if (!check()) throw new Error(`still waiting for ${what}`);
    },
    { timeout: 20_000, interval: 25 },
  );
}

describe('mai pull and mai models --recommended', () => {
  it('recommends, pulls with progress, and the next chat answers with the pulled model', async () => {
    const env = freshHome();
    const none = await mai(['models'], env);
    expect(none.stdout).toContain('"mai models --recommended" lists them, "mai pull <key>" downloads one');

    const recommended = await mai(['models', '--recommended', '--json'], env);
    expect(recommended.status).toBe(0);
    const list = JSON.parse(recommended.stdout) as RecommendationView[];
    expect(list.find((r) => r.key === 'test/stories260k')).toMatchObject({ fits: true, sizeBytes: stories.bytes });
    const table = await mai(['models', '--recommended'], env);
    expect(table.stdout).toMatch(/^KEY\s+CATEGORY\s+SIZE\s+NEEDS\s+FITS\s+REASON$/m);
    expect(table.stdout).toMatch(/^test\/stories260k\s+small\s+1\.1 MiB\s.*\syes\s+fits: /m);

    const pulled = await mai(['pull', 'test/stories260k'], env);
    expect(pulled.stderr).toMatch(/^downloading test\/stories260k\s+100% · 1\.1 MiB \/ 1\.1 MiB/m);
    expect(pulled.stdout).toContain(
      `saved to ${path.join(env.MAI_HOME, 'models', 'test', 'stories260k.gguf')} (sha256 verified)`,
    );
    expect(pulled.status).toBe(0);

    const chat = await mai(['chat', '-m', 'Once upon a time', '--json'], env);
    expect(chat.status).toBe(0);
    expect((JSON.parse(chat.stdout) as ChatResultView).model).toEqual({ key: 'test/stories260k', backend: 'embedded' });
  });

  it('Ctrl-C stops the pull keeping the partial file; the same pull then resumes', async () => {
    const env = freshHome();
    server.knobs.bytesPerTick = 4 * 1024;
    const run = spawnCli(['pull', 'test/stories260k'], env);
    await until(() => /downloading test\/stories260k\s+[1-9]/.test(run.output.stderr), 'the download to start');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(exitCodes.cancelled);
    expect(run.output.stderr).toMatch(/mai: download cancelled; \d+ of 1185376 bytes are kept, pull again to resume/);
    expect(existsSync(path.join(env.MAI_HOME, 'models', 'test', 'stories260k.gguf'))).toBe(false);

    server.knobs.bytesPerTick = null;
    const resumed = await mai(['pull', 'test/stories260k', '--json'], env);
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ verified: true, resumedFromBytes: expect.any(Number) });
    expect((JSON.parse(resumed.stdout) as { resumedFromBytes: number }).resumedFromBytes).toBeGreaterThan(0);
  });

  it('a checksum mismatch fails, naming the URL and both checksums, and leaves nothing behind', async () => {
    const env = freshHome('f'.repeat(64));
    const run = await mai(['pull', 'test/stories260k'], env);
    expect(run.status).toBe(exitCodes.failure);
    expect(run.stderr).toContain(
      `mai: "test/stories260k" is listed with sha256 ${'f'.repeat(64)}, but ${server.url(stories.file)} reports sha256 ${stories.sha256}`,
    );
    expect(existsSync(path.join(env.MAI_HOME, 'models', 'test', 'stories260k.gguf'))).toBe(false);
  });

  it.each([
    [['pull'], exitCodes.usage, 'give exactly one model key or URI'],
    [['pull', 'a', 'b'], exitCodes.usage, 'give exactly one model key or URI'],
    [
      ['pull', 'https://x.example/m.gguf', '--sha256', 'abc'],
      exitCodes.usage,
      '--sha256 must be 64 hexadecimal digits',
    ],
    [['pull', 'nope'], exitCodes.failure, 'no model "nope" with a download; ones Mai can fetch: '],
    [
      ['pull', 'http://mai-no-such-host.invalid/m.gguf'],
      exitCodes.failure,
      'could not download http://mai-no-such-host.invalid/m.gguf: the host name',
    ],
  ])('mai %j exits %i saying %s', async (args, status, message) => {
    const run = await mai(args, freshHome());
    expect(run.stderr).toContain(message);
    expect(run.status).toBe(status);
  });

  it('a refusing server is named with its answer', async () => {
    server.knobs.refuseWith = 404;
    const run = await mai(['pull', 'test/stories260k'], freshHome());
    expect(run.status).toBe(exitCodes.failure);
    expect(run.stderr).toContain(
      `mai: ${server.url(stories.file)} answered 404 Not Found (no such file: check the URI)`,
    );
  });
});
