import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { runCli, spawnCli } from '../../test/runCli';

describe('mai chat (interactive, piped stdin)', () => {
  it('switches, answers tagged with the model, shows the history and quits with 0', () => {
    const run = runCli(['chat'], cliEnv(), '/switch stories260K\nOnce upon a time\n/history\n/quit\n');
    expect(run.stderr).not.toContain('mai:');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('pinned stories260K');
    expect(run.stdout).toMatch(/\n— stories260K \(embedded, \d+ tokens\/s\)\n/);
    const history = run.stdout.slice(run.stdout.indexOf('— stories260K'));
    expect(history).toContain('you: Once upon a time\n');
    expect(history).toMatch(/\nstories260K: \S/);
    // Piped, the load shows as plain lines on stderr, never as \r redraws.
    expect(run.stderr).toContain('loading stories260K: 100%');
    expect(run.stderr).not.toContain('\r');
  });

  it('leaves cleanly at the end of input, and answers slash commands without a model', () => {
    const run = runCli(['chat'], cliEnv(), '/help\n/dance\n/history\n/new\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('/switch <key|auto>');
    expect(run.stdout).toContain('unknown command /dance; /help lists the commands');
    expect(run.stdout).toContain('(nothing said yet in this conversation)');
    expect(run.stdout).toMatch(/new conversation \S+/);
  });

  it('/switch to an unknown key says so and the chat goes on', () => {
    const run = runCli(['chat'], cliEnv(), '/switch no-such-model\n/quit\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/no-such-model/);
  });

  it('Ctrl-C cancels the answer being written; a second one leaves with 0 and the conversation is on disk', async () => {
    const env = cliEnv();
    const chat = spawnCli(['chat'], env);
    chat.child.stdin.write('/switch stories260K\nOnce upon a time\n');
    // The first fragment of the answer: anything after the line /switch printed.
    await chat.waitForStdout(/pinned stories260K[^\n]*\n\S/);
    chat.child.kill('SIGINT');
    await chat.waitForStdout(/\[cancelled\]\n— stories260K \(embedded/);
    chat.child.stdin.write('/history\n');
    await chat.waitForStdout(/you: Once upon a time\n/);
    chat.child.kill('SIGINT');
    expect(await chat.exited).toBe(0);
    const dir = path.join(env.MAI_HOME, 'conversations');
    const stored = readdirSync(dir).map((file) => readFileSync(path.join(dir, file), 'utf8'));
    expect(stored.join('')).toContain('Once upon a time');
  });
});
