import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServedMai {
  /** The URL `mai serve` printed, token included. */
  url: string;
  origin: string;
  token: string;
  output: () => string;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Starts the built `mai serve` as a person would and waits for the URL it prints. */
export async function startMaiServe(extraEnv: Record<string, string> = {}): Promise<ServedMai> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mai-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bin/mai.js'), 'serve', '--port', '0'], {
    cwd: repoRoot,
    // No LM Studio or Ollama a developer happens to run: the E2E tests see the same engines everywhere.
    env: {
      ...process.env,
      MAI_HOME: home,
      MAI_LMSTUDIO_DISCOVERY: 'off',
      MAI_OLLAMA_URL: 'off',
      MAI_POWER_SOURCE: 'ac',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mai serve printed no URL within 20 s:\n${output}`)), 20_000);
    const check = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`mai serve exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
