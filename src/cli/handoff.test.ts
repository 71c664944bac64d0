/**
 * `mai chat -m … --json` against an LM Studio-compatible server that dies a few fragments into the answer: the
 * embedded engine continues the answer LM Studio began, and the result names both parts (issue 15).
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

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env);
  const status = await cli.exited;
  return { status, ...cli.output };
}

describe('mai chat when LM Studio dies mid-answer', () => {
  it('hands the partial answer to the embedded engine, which continues it', async () => {
    // A known answer, a word a fragment, so what LM Studio sent before it went away is known to the letter.
    const script = 'The little fox ran to the river and drank the cold water.';
    server = await startLmStudioServer({
      modelsDir: sharedModelsDir(),
      faults: { dropConnectionAfterFragments: 4, scriptAnswer: script },
    });
    const env = { ...cliEnv(), MAI_LMSTUDIO_URL: server.url };
    const chat = await run(['chat', '-m', 'Once upon a time', '--json'], env);
    expect(chat.status).toBe(0);
    const answer = JSON.parse(chat.stdout) as {
      text: string;
      model: { key: string; backend: string };
      segments: { model: { key: string; backend: string }; text: string; endReason: string }[];
    };
    expect(answer.segments.map((s) => [s.model.backend, s.endReason])).toEqual([
      ['lmstudio', 'failed'],
      ['embedded', expect.stringMatching(/^(eos|maxTokens)$/)],
    ]);
    const [first, second] = answer.segments;
    // LM Studio's four fragments are kept as they came, and the embedded engine wrote on after them: the answer
    // starts with them and is the segments joined.
    expect(first?.text).toBe('The little fox ran');
    expect(answer.text).toBe(answer.segments.map((s) => s.text).join(''));
    expect(answer.text.startsWith('The little fox ran')).toBe(true);
    expect(second?.text.length).toBeGreaterThan(0);
    expect(answer.model).toEqual(second?.model);
    expect(chat.stderr).toMatch(/stories260k stopped mid-answer: LM Studio went away.*; the next model continues it/);
  }, 60_000);
});
