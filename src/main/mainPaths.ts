import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface MainPaths {
  /** The dev server's URL under `electron-vite dev`, else the built renderer file. */
  rendererUrl: string;
  rendererDir: string;
  preloadPath: string;
  /** Where the tray icons are: `resources/` in a checkout, the app's resources folder once packaged. */
  iconDir: string;
  /**
   * The shipped `config/` of a packaged app (electron-builder's extraResources put it beside app.asar); undefined in a
   * checkout, or when MAI_CONFIG_DIR is set, so the brain's own lookup (which honours MAI_CONFIG_DIR) applies.
   */
  configDefaultsDir: string | undefined;
}

/** Every path main needs, from where the bundle runs (`out/main`) and whether it runs from an installed app. */
export function mainPaths(options: {
  mainDir: string;
  isPackaged: boolean;
  resourcesPath: string;
  env: NodeJS.ProcessEnv;
}): MainPaths {
  const { mainDir, isPackaged, resourcesPath, env } = options;
  const rendererDir = path.join(mainDir, '../renderer');
  return {
    rendererUrl: env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(rendererDir, 'index.html')).toString(),
    rendererDir,
    preloadPath: path.join(mainDir, '../preload/index.cjs'),
    iconDir: isPackaged ? path.join(resourcesPath, 'icons') : path.join(mainDir, '../../resources'),
    configDefaultsDir: isPackaged && !env.MAI_CONFIG_DIR ? path.join(resourcesPath, 'config') : undefined,
  };
}

/** The part of Electron's `app` that knows the user data folder. */
export interface UserDataApp {
  getPath(name: 'userData'): string;
  setPath(name: 'userData', value: string): void;
}

/**
 * Mai's data folder is Electron's userData ("Mai" under the platform's per-user config folder, the same folder
 * `mai serve` and the CLI use) unless MAI_HOME is set; then userData moves there too, so Chromium's caches, the
 * single-instance lock and Mai's files stay together. Call before the app is ready (Electron reads userData then).
 */
export function useMaiHome(app: UserDataApp, env: NodeJS.ProcessEnv): string {
  const configured = env.MAI_HOME;
  if (configured) {
    const home = path.resolve(configured);
    // setPath refuses a folder that does not exist yet.
    mkdirSync(home, { recursive: true });
    app.setPath('userData', home);
  }
  return app.getPath('userData');
}
