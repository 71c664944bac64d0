/**
 * `npm test`: lint, typecheck, build, unit tests (vitest), E2E (Playwright), then one plain totals line that CI
 * reads: `N passed, N failed, N skipped`. The three gates count as one check each; every test counts as one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
const lines: string[] = [];
const resultsDir = '.test-results';

function run(label: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n=== ${label}: ${command} ${args.join(' ')}\n`);
  // npx and npm are .cmd files on Windows, which only a shell runs.
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
    shell: process.platform === 'win32',
  });
  return result.status === 0;
}

function gate(label: string, command: string, args: string[]): boolean {
  const passed = run(label, command, args);
  total[passed ? 'passed' : 'failed'] += 1;
  lines.push(`${label}: ${passed ? 'ok' : 'FAILED'}`);
  return passed;
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

function suite(label: string, exitedOk: boolean, tally: Tally | undefined): void {
  if (!tally) {
    total.failed += 1;
    lines.push(`${label}: FAILED (no report was written)`);
    return;
  }
  // A runner that failed without failing a test (a crash, a config error) still counts as one failure.
  if (!exitedOk && tally.failed === 0) tally.failed = 1;
  total.passed += tally.passed;
  total.failed += tally.failed;
  total.skipped += tally.skipped;
  lines.push(`${label}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

gate('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
gate('format', 'npx', ['prettier', '--check', '.']);
gate('typecheck', 'npm', ['run', '--silent', 'typecheck']);
const built = gate('build', 'npm', ['run', '--silent', 'build']);

const vitestOk = run('unit tests', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${resultsDir}/vitest.json`,
]);
const vitest = readJson<{
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}>(`${resultsDir}/vitest.json`);
suite(
  'unit tests',
  vitestOk,
  vitest && {
    passed: vitest.numPassedTests,
    failed: vitest.numFailedTests,
    skipped: vitest.numPendingTests + vitest.numTodoTests,
  },
);

if (built) {
  const e2eOk = run('e2e tests', 'npx', ['playwright', 'test']);
  const e2e = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(
    `${resultsDir}/playwright.json`,
  );
  suite(
    'e2e tests',
    e2eOk,
    e2e && { passed: e2e.stats.expected + e2e.stats.flaky, failed: e2e.stats.unexpected, skipped: e2e.stats.skipped },
  );
} else {
  total.failed += 1;
  lines.push('e2e tests: FAILED (not run: the build failed)');
}

process.stdout.write(`\n=== summary\n${lines.join('\n')}\n`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exitCode = total.failed > 0 ? 1 : 0;
