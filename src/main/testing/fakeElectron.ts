/**
 * A stand-in for the `electron` module in main-process tests: importing the real one tries to download the runtime.
 * It records what main asks of Electron (windows, tray images and menus, login items, quits) and replays Electron's
 * own quit sequence (quit() emits before-quit; the app exits unless a listener prevented it).
 */
import { EventEmitter } from 'node:events';

export class FakeWindow extends EventEmitter {
  visible = false;
  minimized = false;
  destroyed = false;
  focused = false;
  url = '';
  readonly webContents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => {} });
  constructor(readonly options: Record<string, unknown>) {
    super();
    fake.windows.push(this);
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
    this.focused = false;
  }
  focus() {
    this.focused = this.visible && !this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  minimize() {
    this.minimized = true;
    this.focused = false;
  }
  isMinimized() {
    return this.minimized;
  }
  isDestroyed() {
    return this.destroyed;
  }
  async loadURL(url: string) {
    this.url = url;
  }
  /** What a click on the window's close button does: close unless a listener keeps it. */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroyed = true;
  }
}

export class FakeTray extends EventEmitter {
  readonly images: string[] = [];
  menu: unknown[] = [];
  toolTip = '';
  constructor(image: { path: string }) {
    super();
    this.images.push(image.path);
    fake.trays.push(this);
  }
  setImage(image: { path: string }) {
    this.images.push(image.path);
  }
  setContextMenu(menu: unknown[]) {
    this.menu = menu;
  }
  setToolTip(text: string) {
    this.toolTip = text;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  lockAvailable = true;
  exited = false;
  readonly paths = new Map<string, string>();
  loginItem = { openAtLogin: false };
  readonly loginItemRequests: { openAtLogin: boolean }[] = [];
  reset() {
    this.removeAllListeners();
    Object.assign(this, { isPackaged: false, lockAvailable: true, exited: false, loginItem: { openAtLogin: false } });
    this.paths.clear();
    this.loginItemRequests.length = 0;
  }
  requestSingleInstanceLock() {
    return this.lockAvailable;
  }
  whenReady() {
    return Promise.resolve();
  }
  getVersion() {
    return '9.9.9';
  }
  getPath(name: string) {
    const value = this.paths.get(name);
    if (!value) throw new Error(`no ${name} path in the fake`);
    return value;
  }
  setPath(name: string, value: string) {
    this.paths.set(name, value);
  }
  getLoginItemSettings() {
    return { ...this.loginItem };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }) {
    this.loginItemRequests.push(settings);
    this.loginItem = { openAtLogin: settings.openAtLogin };
  }
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exited = true;
  }
  exit() {
    this.exited = true;
  }
}

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, unknown>();
  handle(channel: string, handler: unknown) {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  reset() {
    this.removeAllListeners();
    this.handlers.clear();
  }
}

export const fake = {
  app: new FakeApp(),
  ipcMain: new FakeIpcMain(),
  windows: [] as FakeWindow[],
  trays: [] as FakeTray[],
  /** A fresh Electron for the next test (the same objects, since modules hold on to them). */
  reset() {
    fake.app.reset();
    fake.ipcMain.reset();
    fake.windows.length = 0;
    fake.trays.length = 0;
  },
};

/** The module vi.mock('electron') returns. */
export function fakeElectronModule() {
  return {
    app: fake.app,
    ipcMain: fake.ipcMain,
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: unknown[]) => template },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
  };
}
