/**
 * `npm start`: builds Mai and starts the tray app. A fresh checkout has no Electron runtime yet (electron ≥ 42
 * fetches it on first use), so this runs Electron's own installer first; where that cannot work it says why in one
 * paragraph and points at the headless alternative, which serves the same UI to a browser.
 */
import { spawnSync } from 'node:child_process';
import { ensureElectronRuntime } from './electronRuntime';

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

const runtime = await ensureElectronRuntime();
if (!runtime.ok) {
  process.stderr.write(`\n${runtime.message}\n`);
  process.exit(1);
}
const app = spawnSync(runtime.path, ['.'], { stdio: 'inherit' });
process.exit(app.status ?? 1);
