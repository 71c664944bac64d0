/**
 * `mai` against an LM Studio that greets and answers its version but never sends its model list (what SDK 1.5.0
 * does with a reply its strict schema rejects): the embedded engine answers, and status names the stuck engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { sharedModelsDir } from '../../test/fixtures';
import { startLmStudioServer, type RunningServer } from '../../test/lmstudio-server';
import { spawnCli } from '../../test/runCli';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs the CLI to its end without blocking this process, whose event loop serves "LM Studio". */
async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env);
  const status = await cli.exited;
  return { status, ...cli.output };
}

describe('mai with a stuck LM Studio', () => {
  it('answers with the embedded engine, and status shows LM Studio unhealthy with the reason', async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir(), faults: { stallModelList: 'unreadable' } });
    const env = { ...cliEnv(), MAI_LMSTUDIO_URL: server.url };
    const chat = await run(['chat', '-m', 'Once upon a time', '--json'], env);
    expect(chat.status).toBe(0);
    expect(chat.stderr).toContain(
      `LM Studio at MAI_LMSTUDIO_URL=${server.url} cannot be used: listing its models failed`,
    );
    expect(chat.stderr).toContain('Mai answers without it');
    const answer = JSON.parse(chat.stdout) as { text: string; model: { backend: string } };
    expect(answer.model.backend).toBe('embedded');
    expect(answer.text.length).toBeGreaterThan(0);

    const status = await run(['status', '--json'], env);
    expect(status.status).toBe(0);
    const { backends } = JSON.parse(status.stdout) as { backends: { id: string; status: string; detail: string }[] };
    expect(backends.find((b) => b.id === 'lmstudio')).toMatchObject({
      status: 'error',
      detail: expect.stringMatching(/listing its models failed.*did not answer within/),
    });
  }, 60_000);
});
