import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Env = Readonly<Record<string, string | undefined>>;

/** The app name Electron derives userData from (package.json productName). */
const appName = 'Mai';

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function setting(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Mai's data directory: `$MAI_HOME` if set, else where Electron keeps userData for an app named "Mai", so the
 * tray app, `mai serve` and the CLI all read the same overrides and conversations.
 */
export function resolveMaiHome(env: Env, platform: NodeJS.Platform, homeDir: string): string {
  const maiHome = setting(env, 'MAI_HOME');
  if (maiHome !== undefined) return maiHome;
  const { join } = pathFor(platform);
  switch (platform) {
    case 'darwin':
      return join(homeDir, 'Library', 'Application Support', appName);
    case 'win32':
      return join(setting(env, 'APPDATA') ?? join(homeDir, 'AppData', 'Roaming'), appName);
    default:
      return join(setting(env, 'XDG_CONFIG_HOME') ?? join(homeDir, '.config'), appName);
  }
}

/** Where the user's override files live: `$MAI_HOME/config/` (same file names as the shipped ones). */
export function userConfigDir(maiHome: string, platform: NodeJS.Platform = process.platform): string {
  return pathFor(platform).join(maiHome, 'config');
}

/** A file every shipped config folder has; finding it tells the repo's `config/` from any other. */
const markerFile = 'resource_tiers.yaml';

const moduleDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * The shipped `config/` folder. This code runs from source (vitest, tsx) and bundled into out/main or out/cli,
 * so no fixed relative path fits all: walk up from this module until a `config/resource_tiers.yaml` appears.
 * `MAI_CONFIG_DIR` overrides the search (a packaged app, or a test's own defaults).
 */
export function shippedConfigDir(env: Env = process.env, startDir: string = moduleDir): string {
  const configured = setting(env, 'MAI_CONFIG_DIR');
  if (configured !== undefined) return path.resolve(configured);
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'config');
    if (existsSync(path.join(candidate, markerFile))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`no config/${markerFile} in ${startDir} or any folder above it; set MAI_CONFIG_DIR`);
}
