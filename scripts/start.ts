/**
 * `npm start`: builds Mai and starts the tray app. Where the Electron runtime is missing it says why and points
 * at the headless alternative, which serves the same UI to a browser.
 */
import { spawnSync } from 'node:child_process';
import { findElectronBinary } from './electronBinary';

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = findElectronBinary();
if (!electron.found) {
  process.stderr.write(
    `\nMai cannot start its tray app here: ${electron.reason}\n\n` +
      'Run Mai headless instead and open the printed URL in a browser:\n  npx mai serve\n',
  );
  process.exit(1);
}
const app = spawnSync(electron.path, ['.'], { stdio: 'inherit' });
process.exit(app.status ?? 1);
