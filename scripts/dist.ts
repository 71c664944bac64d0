/**
 * `npm run dist`: builds Mai and its installer for this platform (AppImage and deb on Linux, dmg on macOS, NSIS on
 * Windows; see electron-builder.yml) into release/. Both downloads it needs, the Electron runtime and
 * electron-builder's packaging tools, come from GitHub on first use; where they cannot, it says so in one paragraph.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { builderCommand, hostPlatformFlag } from './distPlan';
import { ensureElectronRuntime } from './electronRuntime';
import { runBounded } from './runBounded';

/** Packaging with a cold cache downloads and compresses a few hundred MB; a run past this has stalled. */
const builderTimeoutMs = 30 * 60_000;

function fail(message: string): never {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

const platformFlag = hostPlatformFlag(process.platform);
if (!platformFlag)
  fail(`Mai has no installer for ${process.platform}; electron-builder.yml covers Linux, macOS and Windows.`);

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

const runtime = await ensureElectronRuntime({ purpose: 'build its installer' });
if (!runtime.ok) fail(runtime.message);

const builderCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('electron-builder/package.json')),
  'cli.js',
);
const outcome = await runBounded(builderCommand({ builderCli, platformFlag, electronDist: runtime.distDir }), {
  timeoutMs: builderTimeoutMs,
  echo: true,
});
if (!outcome.ok) {
  fail(
    `No installer was built: electron-builder stopped (${outcome.reason}). On first use it downloads its packaging ` +
      'tools from GitHub (appimagetool and fpm on Linux, NSIS on Windows), so it needs that reachable; CI builds ' +
      'all three platforms\' installers (.github/workflows/ci.yml, artifacts "installers-<os>").',
  );
}
process.stdout.write('\nInstallers are in release/.\n');
