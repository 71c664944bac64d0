import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/runCli';
import { exitCodes } from './exitCodes';

describe('mai CLI', () => {
  it('--help names every command with examples and exit codes', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    for (const command of ['chat', 'status', 'models', 'switch', 'serve']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    }
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('Exit codes:');
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(runCli(['--version']).stdout.trim()).toBe(version);
  });

  it('an unknown command is a usage error naming it', () => {
    const run = runCli(['dance']);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('unknown command "dance"');
  });

  it('an unknown option is a usage error', () => {
    const run = runCli(['status', '--colour']);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('--colour');
  });

  it.each(['chat', 'models', 'switch'])('%s says it is not available yet', (command) => {
    const run = runCli([command]);
    expect(run.status).toBe(exitCodes.notYetAvailable);
    expect(run.stderr).toContain('not available yet');
  });

  it('serve refuses a port out of range', () => {
    const run = runCli(['serve', '--port', '70000']);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('--port must be an integer from 0 to 65535, got "70000"');
  });

  it.runIf(process.platform === 'linux')('status --json reports the kernel’s total memory', () => {
    const run = runCli(['status', '--json']);
    expect(run.status).toBe(0);
    const status = JSON.parse(run.stdout) as { resources: { memory: { totalBytes: number }; gpus: unknown[] } };
    const memTotalKib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    expect(status.resources.memory.totalBytes).toBe(memTotalKib * 1024);
    expect(Array.isArray(status.resources.gpus)).toBe(true);
  });

  it('status prints a readable table', () => {
    const run = runCli(['status']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}Memory\s+[\d.]+ GiB available of [\d.]+ GiB/m);
    expect(run.stdout).toMatch(/^ {2}CPU\s+\d+% of \d+ cores/m);
  });
});
