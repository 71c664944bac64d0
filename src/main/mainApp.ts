/**
 * The tray app's composition: single instance, data folder, brain, IPC, bridge, windows, tray, quit. Each part is
 * its own module; this only wires them, so the whole start can run in a test against a mocked electron module.
 */
import { app, ipcMain } from 'electron';
import os from 'node:os';
import { consoleLogger, createBrain, type Brain, type BrainDeps, type Logger } from '../brain';
import { publishInstance } from './instance';
import { registerIpc } from './ipc';
import { createLoginItem } from './loginItem';
import { mainPaths, useMaiHome } from './mainPaths';
import { quitAfterShutdown } from './quit';
import { isTrustedSenderUrl } from './senderTrust';
import { claimSingleInstance } from './singleInstance';
import { exposeTestHooks } from './testHooks';
import { createTrayController } from './trayController';
import { createMainWindow } from './window';
import { createWindowSet, type WindowSet } from './windowSet';

export interface MainOptions {
  /** The folder of the built main bundle (`out/main`). */
  mainDir: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** The brain's factory; tests pass one with a scripted machine. */
  createBrain?: (deps: BrainDeps) => Brain;
  /** Opens the loopback bridge for `mai switch`; returns its cleanup. */
  publish?: typeof publishInstance;
  shutdownTimeoutMs?: number;
}

export interface RunningMai {
  brain: Brain;
  windows: WindowSet;
  maiHome: string;
}

/** Starts Mai's tray app, or hands over to the one already running (then resolves to null). */
export async function runMai(options: MainOptions): Promise<RunningMai | null> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? consoleLogger();
  const maiHome = useMaiHome(app, env);
  let started: (windows: WindowSet) => void = () => {};
  const windowsReady = new Promise<WindowSet>((resolve) => (started = resolve));
  // A second launch while this one still starts waits for its windows, then brings the chat forward.
  if (!claimSingleInstance(app, () => void windowsReady.then((windows) => windows.show('chat')))) return null;

  await app.whenReady();
  const version = app.getVersion();
  const paths = mainPaths({
    mainDir: options.mainDir,
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    env,
  });
  const brain = (options.createBrain ?? createBrain)({
    logger,
    version,
    env,
    maiHome,
    ...(paths.configDefaultsDir ? { configDefaultsDir: paths.configDefaultsDir } : {}),
  });
  await brain.start();
  const unregisterIpc = registerIpc({
    ipcMain,
    brain,
    isTrustedSender: (url) => isTrustedSenderUrl(url, paths.rendererUrl),
  });
  const unpublish = await (options.publish ?? publishInstance)({
    brain,
    rendererDir: paths.rendererDir,
    version,
    logger,
    maiHome,
  }).catch((error: unknown) => {
    // Without it only `mai switch` cannot reach this instance; the tray app itself works.
    logger.warn('could not open the local bridge for mai switch', { error: String(error) });
    return async () => {};
  });

  let quitting = false;
  const windows = createWindowSet({
    open: (view) => createMainWindow({ preloadPath: paths.preloadPath, rendererUrl: paths.rendererUrl, view }),
    isQuitting: () => quitting,
  });
  const tray = createTrayController({
    brain,
    version,
    iconDir: paths.iconDir,
    loginItem: createLoginItem({
      app,
      platform: process.platform,
      env,
      homeDir: os.homedir(),
      execPath: process.execPath,
    }),
    logger,
    openChat: () => windows.show('chat'),
    openDashboard: () => windows.show('dashboard'),
    quit: () => app.quit(),
  });
  exposeTestHooks({ trayMenu: tray.menu, clickTray: tray.click, trayPressure: tray.pressure }, env);

  app.on('activate', () => windows.show('chat'));
  app.on('window-all-closed', () => {
    // Stay in the tray.
  });
  quitAfterShutdown({
    app,
    onQuitting: () => {
      quitting = true;
      tray.stop();
      unregisterIpc();
    },
    shutdown: async () => {
      await unpublish();
      await brain.shutdown();
    },
    logger,
    ...(options.shutdownTimeoutMs === undefined ? {} : { timeoutMs: options.shutdownTimeoutMs }),
  });
  started(windows);
  windows.show('chat');
  return { brain, windows, maiHome };
}
