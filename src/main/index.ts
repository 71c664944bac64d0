/**
 * Electron main: a thin shell over the brain. It owns the tray, the window and the IPC bridge; every decision
 * lives in the brain, which `mai serve` and the CLI host the same way.
 */
import type { BrowserWindow } from 'electron';
import { app, ipcMain, Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { consoleLogger, createBrain } from '../brain';
import { registerIpc } from './ipc';
import { isTrustedSenderUrl } from './senderTrust';
import { buildTrayMenu, resourceSummary, type TrayMenuItem, type TrayState } from './trayMenu';
import { createMainWindow } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererUrl =
  process.env.ELECTRON_RENDERER_URL ?? pathToFileURL(path.join(here, '../renderer/index.html')).toString();
const preloadPath = path.join(here, '../preload/index.cjs');
const iconPath = path.join(here, '../../resources/tray.png');

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

  let window: BrowserWindow | null = null;
  let quitting = false;
  const showWindow = () => {
    window ??= createMainWindow({ preloadPath, rendererUrl });
    // Closing hides to the tray: Mai keeps watching the machine until Quit.
    window.on('close', (event) => {
      if (!quitting) {
        event.preventDefault();
        window?.hide();
      }
    });
    window.show();
    window.focus();
  };

  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const actions = { 'open-dashboard': showWindow, quit: () => app.quit() };
  const toElectron = (item: TrayMenuItem): MenuItemConstructorOptions =>
    item.type === 'separator'
      ? { type: 'separator' }
      : { label: item.label, enabled: item.enabled, click: item.action ? actions[item.action] : undefined };
  const state: TrayState = { version: app.getVersion(), sample: null };
  const refreshTray = () => {
    tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(state).map(toElectron)));
    tray.setToolTip(`Mai — ${resourceSummary(state.sample)}`);
  };
  refreshTray();
  brain.subscribe('resources.sample', (sample) => {
    state.sample = sample;
    refreshTray();
  });

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // Stay in the tray.
  });
  app.on('before-quit', () => {
    quitting = true;
    unregisterIpc();
    void brain.shutdown();
  });
  showWindow();
}
