/**
 * `mai chat`, `status` and `models` attach to a running Mai (DESIGN §4): with `mai serve` up in the same MAI_HOME they
 * answer from it — its conversation, its pin, its decisions — instead of starting a brain of their own.
 */
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { spawnCli } from '../../test/runCli';

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env);
  const status = await cli.exited;
  return { status, ...cli.output };
}

describe('mai attached to a running Mai', () => {
  it('chats in the running Mai’s conversation and reads its state', async () => {
    const env = cliEnv();
    const serve = spawnCli(['serve', '--port', '0'], env);
    try {
      await serve.waitForStdout(/Mai is serving its dashboard at/);
      // A pin only the running Mai holds: a brain of the CLI's own would start in automatic mode.
      expect((await run(['switch', 'stories260K'], env)).status).toBe(0);

      const chat = await run(['chat', '-m', 'Once upon a time', '--json'], env);
      expect(chat.status).toBe(0);
      const answer = JSON.parse(chat.stdout) as { conversationId: string; model: { key: string } };
      expect(answer.model.key).toBe('stories260K');

      const status = await run(['status', '--json'], env);
      expect(status.status).toBe(0);
      const state = JSON.parse(status.stdout) as {
        model: { mode: string; pinnedKey: string; current: { key: string } | null };
        decisions: { kind: string; to: string | null }[];
      };
      // The running Mai loaded the model for the chat above and kept it: a fresh brain would have none loaded.
      expect(state.model).toMatchObject({ mode: 'pinned', pinnedKey: 'stories260K', current: { key: 'stories260K' } });
      expect(state.decisions.map((d) => d.kind)).toEqual(expect.arrayContaining(['pin', 'selection']));

      const models = await run(['models', '--json'], env);
      const listed = JSON.parse(models.stdout) as { key: string; loaded: boolean }[];
      expect(listed.find((m) => m.key === 'stories260K')?.loaded).toBe(true);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  }, 60_000);
});
