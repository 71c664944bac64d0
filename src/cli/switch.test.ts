import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { runCli, spawnCli } from '../../test/runCli';
import { writeInstanceFile } from '../server/instanceFile';
import type { Status } from '../shared/contract';
import { exitCodes } from './exitCodes';

const settings = (maiHome: string) => JSON.parse(readFileSync(path.join(maiHome, 'settings.json'), 'utf8')) as unknown;

describe('mai switch', () => {
  it('switches a running mai serve found through instance.json, and back to automatic', async () => {
    const env = cliEnv();
    const serve = spawnCli(['serve', '--port', '0'], env);
    try {
      const printed = await serve.waitForStdout(/at (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)\n/);
      const [, base, token] = /at (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)\n/.exec(printed)!;
      const file = path.join(env.MAI_HOME, 'instance.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: serve.child.pid, token, host: '127.0.0.1' });
      const status = async () =>
        (
          (await (await fetch(`${base}/api/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
            value: Status;
          }
        ).value;

      const pinned = runCli(['switch', 'stories260K'], env);
      expect(pinned.stderr).toBe('');
      expect(pinned.stdout).toBe(`switched the running Mai (pid ${serve.child.pid}) to stories260K, pinned\n`);
      expect((await status()).model).toMatchObject({ mode: 'pinned', reason: expect.stringContaining('stories260K') });

      const unknown = runCli(['switch', 'no-such-model'], env);
      expect(unknown.status).toBe(exitCodes.failure);
      expect(unknown.stderr).toContain(`the running Mai (pid ${serve.child.pid}) refused`);
      expect(unknown.stderr).toContain('no-such-model');

      const auto = runCli(['switch', 'auto'], env);
      expect(auto.status).toBe(0);
      expect(auto.stdout).toMatch(
        new RegExp(`^switched the running Mai \\(pid ${serve.child.pid}\\) back to automatic`),
      );
      expect((await status()).model.mode).toBe('auto');
      expect(existsSync(path.join(env.MAI_HOME, 'settings.json'))).toBe(false);

      serve.child.kill('SIGTERM');
      expect(await serve.exited).toBe(0);
      expect(existsSync(file)).toBe(false);
    } finally {
      serve.child.kill('SIGKILL');
    }
  });

  it('without a running Mai, saves the pinned model in settings.json for the next start', () => {
    const env = cliEnv();
    const pinned = runCli(['switch', 'stories260K'], env);
    expect(pinned.status).toBe(0);
    expect(pinned.stdout).toContain('no running Mai found; saved stories260K as the pinned model');
    expect(settings(env.MAI_HOME)).toEqual({ pinnedModel: 'stories260K' });
    const auto = runCli(['switch', 'auto'], env);
    expect(auto.stdout).toContain('saved automatic choice');
    expect(settings(env.MAI_HOME)).toEqual({ pinnedModel: null });
  });

  it('ignores a stale instance.json whose process is gone', () => {
    const env = cliEnv();
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeInstanceFile(env.MAI_HOME, {
      pid: deadPid,
      port: 1,
      host: '127.0.0.1',
      token: 't',
      startedAtMs: 0,
      version: '0',
    });
    const run = runCli(['switch', 'stories260K'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('no running Mai found');
    expect(settings(env.MAI_HOME)).toEqual({ pinnedModel: 'stories260K' });
  });

  it('a chat started after it answers with the saved model', () => {
    const env = cliEnv();
    runCli(['switch', 'stories260K'], env);
    const run = runCli(['chat', '-m', 'Once upon a time'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/— stories260K \(embedded/);
  });

  it.each([[[]], [['a', 'b']]])('needs exactly one key (%j): a usage error', (args) => {
    const run = runCli(['switch', ...args]);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('switch takes one model key or "auto"');
  });

  it('says what to do with a settings.json that is not JSON', () => {
    const env = cliEnv();
    runCli(['switch', 'x'], env);
    writeFileSync(path.join(env.MAI_HOME, 'settings.json'), '{');
    const run = runCli(['switch', 'auto'], env);
    expect(run.status).toBe(exitCodes.failure);
    expect(run.stderr).toContain('is not valid JSON');
    expect(run.stderr).toContain('fix or delete it');
  });
});
