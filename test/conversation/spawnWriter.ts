import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../runCli';

export interface WriterProcess {
  child: ChildProcess;
  /** Every JSON line printed so far. */
  said: Record<string, unknown>[];
  /** Resolves once a printed line satisfies `test`; rejects if the process ends first or time runs out. */
  waitFor(test: (said: Record<string, unknown>[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code and signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  acknowledged(): string[];
}

/** Starts test/conversation/storeWriter.ts in its own Node process (through tsx, as `mai` runs from source). */
export function spawnWriter(args: string[]): WriterProcess {
  const script = path.join(repoRoot, 'test/conversation/storeWriter.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const said: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    said.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters) wake();
  });
  // 'close', not 'exit': it comes after the last line of stdout has been read.
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => {
      ended = true;
      resolve({ code, signal });
      for (const wake of waiters) wake();
    }),
  );
  const waitFor = (test: (said: Record<string, unknown>[]) => boolean, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`writer did not get there in ${timeoutMs} ms: ${stderr}`)),
        timeoutMs,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (test(said)) finish();
        else if (ended) finish(new Error(`writer ended (${child.exitCode ?? child.signalCode}) first: ${stderr}`));
      };
      waiters.add(check);
      check();
    });
  const acknowledged = () => said.flatMap((line) => (typeof line.appended === 'string' ? [line.appended] : []));
  return { child, said, waitFor, exited, acknowledged };
}
