import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI bundle, as `bin/mai.js` runs it: one esbuild bundle loads in a fraction of the time tsx needs to
 * compile the sources for every spawn (vitest's global setup builds it before any test runs).
 */
export const cliBundle = path.join(repoRoot, 'out/cli/index.js');

export const cliArgs = (args: string[]) => [cliBundle, ...args];

/** Runs the `mai` CLI as a separate process, as a person's shell would; `input` is piped to stdin. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): CliRun {
  const result = spawnSync(process.execPath, cliArgs(args), {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
    ...(input === undefined ? {} : { input }),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A CLI process that keeps running (serve, an interactive chat), with everything it printed so far. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  output: { stdout: string; stderr: string };
  /** Resolves with stdout once it matches; rejects with what was printed if the process exits first. */
  waitForStdout(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

export function spawnCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, cliArgs(args), { cwd: repoRoot, env: { ...process.env, ...env } });
  const output = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  child.stdout.on('data', (data: Buffer) => {
    output.stdout += data.toString('utf8');
    for (const waiter of waiters) waiter();
  });
  child.stderr.on('data', (data: Buffer) => (output.stderr += data.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    waitForStdout(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output.stdout)) return;
          waiters.delete(check);
          resolve(output.stdout);
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (!waiters.has(check)) return;
          waiters.delete(check);
          reject(new Error(`mai exited before printing ${pattern}:\n${output.stdout}\n${output.stderr}`));
        });
      });
    },
  };
}
