import { BrowserWindow } from 'electron';

export interface WindowPaths {
  preloadPath: string;
  /** The dev server's URL under `electron-vite dev`, else the built file. */
  rendererUrl: string;
  /** Which tab the window opens on; the renderer reads it from the hash. */
  view?: 'chat' | 'dashboard';
}

/** The renderer's URL for one view (a hash, so the page and its IPC trust stay the same file). */
export function viewUrl(rendererUrl: string, view: 'chat' | 'dashboard'): string {
  const url = new URL(rendererUrl);
  url.hash = `view=${view}`;
  return url.toString();
}

/** A chat or dashboard window, locked down: isolated, sandboxed, no Node, no navigation, no new windows. */
export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const window = new BrowserWindow({
    width: 900,
    height: 680,
    show: false,
    title: paths.view === 'chat' ? 'Mai — Chat' : 'Mai — Dashboard',
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
  void window.loadURL(viewUrl(paths.rendererUrl, paths.view ?? 'dashboard'));
  return window;
}
