/**
 * Electron main: a thin shell over the brain. It owns the tray, the windows and the IPC bridge; every decision
 * lives in the brain, which `mai serve` and the CLI host the same way.
 */
import type { BrowserWindow } from 'electron';
import { app, ipcMain, Menu, nativeImage, Tray } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { consoleLogger, createBrain } from '../brain';
import { registerIpc } from './ipc';
import { isTrustedSenderUrl } from './senderTrust';
import { toElectronMenu } from './trayElectron';
import { buildTrayMenu, pauseTarget, trayTooltip, type TrayAction, type TrayState } from './trayMenu';
import { createTrayRefresher } from './trayRefresher';
import { followBrainForTray, switchFromTray } from './trayState';
import { publishInstance } from './instance';
import { exposeTestHooks } from './testHooks';
import { createMainWindow } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererUrl =
  process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(here, '../renderer/index.html')).toString();
const preloadPath = path.join(here, '../preload/index.cjs');
const iconPath = path.join(here, '../../resources/tray.png');

type View = 'chat' | 'dashboard';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const logger = consoleLogger();
  const brain = createBrain({ logger, version: app.getVersion() });
  await brain.start();
  const unregisterIpc = registerIpc({ ipcMain, brain, isTrustedSender: (url) => isTrustedSenderUrl(url, rendererUrl) });
  const unpublish = await publishInstance({
    brain,
    rendererDir: path.join(here, '../renderer'),
    version: app.getVersion(),
    logger,
  }).catch((error: unknown) => {
    // Without it only `mai switch` cannot reach this instance; the tray app itself works.
    logger.warn('could not open the local bridge for mai switch', { error: String(error) });
    return async () => {};
  });

  const windows: Record<View, BrowserWindow | null> = { chat: null, dashboard: null };
  let quitting = false;
  const showWindow = (view: View) => {
    let window = windows[view];
    if (!window) {
      window = createMainWindow({ preloadPath, rendererUrl, view });
      windows[view] = window;
      const created = window;
      // Closing hides to the tray: Mai keeps watching the machine until Quit.
      created.on('close', (event) => {
        if (!quitting) {
          event.preventDefault();
          created.hide();
        }
      });
    }
    window.show();
    window.focus();
  };

  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const state: TrayState = { version: app.getVersion(), sample: null, model: null, models: [], personality: '' };
  const switchTo = (key: string) =>
    void switchFromTray(brain, key).then((error) => {
      if (error) logger.warn(`switching to ${key} from the tray failed: ${error}`);
    });
  const dispatch = (action: TrayAction) => {
    switch (action.kind) {
      case 'open-chat':
        return showWindow('chat');
      case 'open-dashboard':
        return showWindow('dashboard');
      case 'quit':
        return app.quit();
      case 'switch':
        return switchTo(action.key);
      case 'toggle-pause': {
        const key = pauseTarget(state.model);
        if (key) switchTo(key);
      }
    }
  };
  const refresh = createTrayRefresher({
    setMenu: (items) => tray.setContextMenu(Menu.buildFromTemplate(toElectronMenu(items, dispatch))),
    setToolTip: (text) => tray.setToolTip(text),
  });
  const refreshTray = () => refresh(buildTrayMenu(state), trayTooltip(state));
  refreshTray();
  const stopFollowing = followBrainForTray(brain, state, refreshTray);
  exposeTestHooks({ trayMenu: () => buildTrayMenu(state), clickTray: dispatch });

  app.on('second-instance', () => showWindow('chat'));
  app.on('activate', () => showWindow('chat'));
  app.on('window-all-closed', () => {
    // Stay in the tray.
  });
  app.on('before-quit', () => {
    quitting = true;
    stopFollowing();
    unregisterIpc();
    void unpublish().then(() => brain.shutdown());
  });
  showWindow('chat');
}
