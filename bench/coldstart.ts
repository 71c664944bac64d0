/**
 * What a `mai` command costs from a cold start, as a person's shell or a tray refresh pays it: whole processes of the
 * built CLI (bin/mai.js), timed from spawn to exit (serve: to the printed URL), side by side with `node -e 0` in the
 * same run and interleaved round by round, so every command sees the same machine. Printed: min / median / max and
 * the median's ratio to `node -e 0`. With a Mai running (a `mai serve` in the same MAI_HOME) status and models attach
 * to it; without one they start a brain of their own.
 *
 *   npm run build && node --import tsx bench/coldstart.ts [--runs N] [--json]     (default 7 runs)
 *
 * The fixture models are found through MAI_MODELS_DIR, and LM Studio discovery is off (MAI_LMSTUDIO_DISCOVERY=off)
 * so a developer's LM Studio does not change the figures. A person's Mai has run before: its MAI_HOME holds the
 * kept GGUF headers, parsed configuration and inventory, so the timed runs share one MAI_HOME, warmed by one
 * untimed run of each command (and the running Mai by one status and one models). The very first run in an empty
 * MAI_HOME, which reads and keeps all of that, is timed on its own rows ("first run").
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sharedModelsDir } from '../test/fixtures';

const repoRoot = path.resolve(import.meta.dirname, '..');
const mai = path.join(repoRoot, 'bin/mai.js');

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, json: { type: 'boolean' } } });
const runs = Number(values.runs);

interface Case {
  name: string;
  args: string[];
  /** Stop the clock when stdout matches (serve never exits by itself); otherwise at exit. */
  until?: RegExp;
  /** Needs a running Mai in the same MAI_HOME. */
  attached?: boolean;
  /** Timed in an empty MAI_HOME of its own, each round. */
  firstRun?: boolean;
}

const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'mai --help', args: [mai, '--help'] },
  { name: 'mai status --json', args: [mai, 'status', '--json'] },
  { name: 'mai models --json', args: [mai, 'models', '--json'] },
  { name: 'mai serve (to its URL)', args: [mai, 'serve', '--port', '0'], until: /serving its dashboard at/ },
  { name: 'mai status --json, Mai running', args: [mai, 'status', '--json'], attached: true },
  { name: 'mai models --json, Mai running', args: [mai, 'models', '--json'], attached: true },
  { name: 'mai status --json, first run', args: [mai, 'status', '--json'], firstRun: true },
  { name: 'mai models --json, first run', args: [mai, 'models', '--json'], firstRun: true },
];

function timeProcess(args: string[], env: NodeJS.ProcessEnv, until?: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const startedMs = performance.now();
    const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let untilMs: number | null = null;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until && untilMs === null && until.test(stdout)) {
        untilMs = performance.now() - startedMs;
        child.kill('SIGTERM');
      }
    });
    // Resolved only once the process is gone: a serve still exiting would leave its instance.json to the next case.
    child.once('exit', (code) => {
      const elapsedMs = performance.now() - startedMs;
      if (until) {
        if (untilMs === null) reject(new Error(`${args.join(' ')} exited before ${until}: ${stderr}`));
        else resolve(untilMs);
      } else if (code === 0) resolve(elapsedMs);
      else reject(new Error(`${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

/** A running `mai serve` for the attached cases; resolves once it prints its URL. */
function startServe(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mai, 'serve', '--port', '0'], { cwd: repoRoot, env, stdio: 'pipe' });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/serving its dashboard at/.test(stdout)) {
        resolve(
          () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        );
      }
    });
    child.once('exit', (code) => reject(new Error(`mai serve exited with ${code}`)));
  });
}

function summary(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return { minMs: sorted[0] ?? Number.NaN, medianMs: median, maxMs: sorted.at(-1) ?? Number.NaN };
}

const timings = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const environment = (home: string) => ({
  ...process.env,
  MAI_HOME: home,
  MAI_MODELS_DIR: sharedModelsDir(),
  MAI_LMSTUDIO_DISCOVERY: 'off',
});
const home = mkdtempSync(path.join(os.tmpdir(), 'mai-coldstart-'));
const env = environment(home);
const warm = (c: Case) => timeProcess(c.args, env, c.until);
for (const test of cases.filter((c) => !c.attached && !c.firstRun)) await warm(test);
const stopServe = await startServe(env);
for (const test of cases.filter((c) => c.attached)) await warm(test);
await stopServe();

for (let round = 0; round < runs; round += 1) {
  // Rotating the order spreads whatever the machine does meanwhile over every case alike.
  const order = cases.map((_, index) => cases[(index + round) % cases.length]!);
  for (const test of order.filter((c) => !c.attached && !c.firstRun)) {
    timings.get(test.name)!.push(await timeProcess(test.args, env, test.until));
  }
  for (const test of order.filter((c) => c.firstRun)) {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'mai-coldstart-first-'));
    timings.get(test.name)!.push(await timeProcess(test.args, environment(empty), test.until));
    rmSync(empty, { recursive: true, force: true });
  }
}
// The running Mai, started once and warmed: what a tray app that has been up a while answers.
const stopRunning = await startServe(env);
for (const test of cases.filter((c) => c.attached)) await warm(test);
for (let round = 0; round < runs; round += 1) {
  for (const test of cases.filter((c) => c.attached)) {
    timings.get(test.name)!.push(await timeProcess(test.args, env, test.until));
  }
}
await stopRunning();
rmSync(home, { recursive: true, force: true });

const baseline = summary(timings.get('node -e 0')!).medianMs;
const rows = cases.map((c) => {
  const figures = summary(timings.get(c.name)!);
  return { case: c.name, runs, ...figures, ratioToNode: figures.medianMs / baseline };
});
if (values.json) {
  for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
} else {
  process.stdout.write(`cold start, ${runs} runs each, interleaved (ms; ratio = median / node -e 0's median)\n`);
  process.stdout.write(
    `${'case'.padEnd(34)} ${'min'.padStart(7)} ${'median'.padStart(7)} ${'max'.padStart(7)}  ratio\n`,
  );
  for (const row of rows) {
    const ms = (value: number) => value.toFixed(0).padStart(7);
    process.stdout.write(
      `${row.case.padEnd(34)} ${ms(row.minMs)} ${ms(row.medianMs)} ${ms(row.maxMs)}  ${row.ratioToNode.toFixed(2)}×\n`,
    );
  }
}
