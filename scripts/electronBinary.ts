import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

/**
 * Finds the Electron runtime without triggering electron's own lookup, which tries to download the binary and
 * throws where that is impossible (as on these build machines).
 */
export function findElectronBinary(): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
  const candidate = path.join(distDir, relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
  if (existsSync(candidate)) return { found: true, path: candidate };
  return {
    found: false,
    reason:
      `the Electron runtime binary is absent (${candidate} does not exist): electron ≥ 42 has no postinstall and ` +
      'this machine cannot download it. Run "npx install-electron" where GitHub is reachable, or set ELECTRON_OVERRIDE_DIST_PATH.',
  };
}
