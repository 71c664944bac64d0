import { BrowserWindow } from 'electron';

export interface WindowPaths {
  preloadPath: string;
  /** The dev server's URL under `electron-vite dev`, else the built file. */
  rendererUrl: string;
}

/** The dashboard window, locked down: isolated, sandboxed, no Node, no navigation, no new windows. */
export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const window = new BrowserWindow({
    width: 900,
    height: 680,
    show: false,
    title: 'Mai',
    autoHideMenuBar: true,
    webPreferences: {
      preload: paths.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadURL(paths.rendererUrl);
  return window;
}
