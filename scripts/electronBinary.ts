import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** `distDir` is the folder the runtime was unpacked into (electron-builder's `electronDist`). */
export type ElectronBinary = { found: true; path: string; distDir: string } | { found: false; reason: string };

export interface ElectronLookup {
  /** The installed `electron` package's folder; resolved from node_modules by default. */
  packageDir?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** The installed `electron` package's folder, or null when npm has not installed it. */
export function electronPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * Finds the Electron runtime without triggering electron's own lookup (`require('electron')`), which starts a
 * download of its own and throws where that is impossible. The layout is the package's: `dist/` holds the runtime,
 * `path.txt` names the executable inside it, `ELECTRON_OVERRIDE_DIST_PATH` replaces `dist/`.
 */
export function findElectronBinary(lookup: ElectronLookup = {}): ElectronBinary {
  const env = lookup.env ?? process.env;
  const platform = lookup.platform ?? process.platform;
  const packageDir = lookup.packageDir ?? electronPackageDir();
  if (!packageDir) return { found: false, reason: 'the electron package is not installed (run npm install)' };
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(packageDir, 'dist');
  const candidate = path.join(distDir, relative ?? (platform === 'win32' ? 'electron.exe' : 'electron'));
  if (existsSync(candidate)) return { found: true, path: candidate, distDir };
  return {
    found: false,
    reason:
      `the Electron runtime binary is absent (${candidate} does not exist): electron ≥ 42 fetches it on first use. ` +
      '`npm start` runs its installer; elsewhere run "npx install-electron" where GitHub is reachable.',
  };
}
