import { spawnSync } from 'node:child_process';
import { repoRoot } from './runCli';

/** Tests spawn the CLI from its bundle (test/runCli.ts); build it from the sources under test first (~1 s). */
export default function setup(): void {
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`building the CLI bundle for the tests failed (exit ${build.status})`);
}
