import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { electronPackageDir, findElectronBinary } from './electronBinary';
import { runBounded, type Command } from './runBounded';

export type Runtime =
  { ok: true; path: string; distDir: string; installedNow: boolean } | { ok: false; message: string };

export interface RuntimeOptions {
  /** The `electron` package's folder; node_modules/electron by default. */
  packageDir?: string;
  /** What fetches the runtime; Electron's own `install.js` (checksum-verified) by default. */
  installer?: Command;
  /**
   * The runtime is ~100 MB: minutes on a slow line are fine, a network that swallows packets forever is not. Undici
   * gives up on a silent connection by itself; this bounds a transfer that stalls after it started.
   */
  installTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  say?: (line: string) => void;
  /** What cannot happen without the runtime, for the failure's first words ("Mai cannot …"). */
  purpose?: string;
}

export const defaultInstallTimeoutMs = 10 * 60_000;

const headless =
  'Mai runs without Electron too: `npx mai serve` serves the same chat and dashboard to a browser ' +
  '(it prints the URL to open), and `npx mai --help` lists the terminal commands.';

/** Electron's own installer: downloads the runtime for this package's version and checks it against checksums.json. */
export function electronInstaller(packageDir: string): Command {
  return { command: process.execPath, args: [path.join(packageDir, 'install.js')] };
}

function electronVersion(packageDir: string): string {
  try {
    return (
      (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version ?? '?'
    );
  } catch {
    return '?';
  }
}

/**
 * A failed extraction can leave `dist/` half full and `path.txt` pointing into it; the next start would then think
 * the runtime is there. Only ever called after the lookup said the runtime is absent, so nothing that works is lost.
 */
function removePartialInstall(packageDir: string): void {
  rmSync(path.join(packageDir, 'dist'), { recursive: true, force: true });
  rmSync(path.join(packageDir, 'path.txt'), { force: true });
}

/**
 * What `npm start` does before starting the tray app: use the runtime if it is there; else run Electron's installer
 * (saying so) and use what it installed; else explain, in one paragraph, why the tray app cannot start here.
 */
export async function ensureElectronRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const env = options.env ?? process.env;
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const cannot = `Mai cannot ${options.purpose ?? 'start its tray app'}`;
  const packageDir = options.packageDir ?? electronPackageDir();
  if (!packageDir) {
    return {
      ok: false,
      message: `${cannot}: the electron package is not installed (run npm install). ${headless}`,
    };
  }
  const before = findElectronBinary({ packageDir, env });
  if (before.found) return { ok: true, path: before.path, distDir: before.distDir, installedNow: false };
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    // The person chose where the runtime lives; installing into node_modules would not change that lookup.
    return { ok: false, message: `${cannot}: ${before.reason} ${headless}` };
  }

  const version = electronVersion(packageDir);
  say(`Fetching the Electron ${version} runtime with Electron's installer (checksum-verified; first start only)…`);
  const outcome = await runBounded(options.installer ?? electronInstaller(packageDir), {
    timeoutMs: options.installTimeoutMs ?? defaultInstallTimeoutMs,
  });
  const after = findElectronBinary({ packageDir, env });
  if (outcome.ok && after.found) {
    say('Electron runtime installed.');
    return { ok: true, path: after.path, distDir: after.distDir, installedNow: true };
  }
  removePartialInstall(packageDir);
  const why = outcome.ok ? 'it finished, yet no runtime binary is in place' : outcome.reason;
  return {
    ok: false,
    message:
      `${cannot}: Electron's installer could not fetch the Electron ${version} runtime (${why}). ` +
      'It downloads from GitHub (or the mirror in ELECTRON_MIRROR) and needs that reachable once; nothing partial ' +
      `was left behind, so the next run tries again. ${headless}`,
  };
}
