import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { cliArgs, repoRoot } from '../../test/runCli';

/** python3's pty module gives the chat a real terminal: raw-mode Ctrl-C, the prompt and the \r progress bar. */
const hasPty = process.platform !== 'win32' && spawnSync('python3', ['-c', 'import pty']).status === 0;

type Step = ['send' | 'expect', string];

function inTerminal(steps: Step[], args: string[], env: Record<string, string>): { output: string; exitCode: number } {
  const run = spawnSync(
    'python3',
    [path.join(repoRoot, 'test/cli/ptyRun.py'), JSON.stringify(steps), process.execPath, ...cliArgs(args)],
    { cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
  );
  const exitCode = Number(/\nEXIT (-?\d+)\n$/.exec(run.stdout)?.[1] ?? NaN);
  return { output: run.stdout, exitCode };
}

describe.runIf(hasPty)('mai chat in a terminal', () => {
  it('draws the load bar, Ctrl-C cancels the answer, Ctrl-C at the prompt leaves with 0', () => {
    const { output, exitCode } = inTerminal(
      [
        ['expect', 'you› '],
        ['send', '/switch stories260K\r'],
        ['expect', 'pinned stories260K'],
        ['send', 'Once upon a time\r'],
        // The bar ends its line at 100%; the next character is the answer's first fragment.
        ['expect', '100%\\r*\\n[^\\r\\n]'],
        ['send', '\u0003'],
        ['expect', '\\[cancelled\\]'],
        ['send', '\u0003'],
      ],
      ['chat'],
      cliEnv(),
    );
    expect(output).not.toContain('TIMEOUT');
    expect(output).toMatch(/\rloading stories260K [█░]+ +\d+%/);
    expect(output).toMatch(/\[cancelled\]\r?\n— stories260K \(embedded/);
    expect(exitCode).toBe(0);
  });
});
