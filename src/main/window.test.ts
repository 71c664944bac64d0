import { beforeEach, describe, expect, it, vi } from 'vitest';

// Importing the real 'electron' module tries to download its binary; main-process tests use this stand-in.
const created: { options: Record<string, unknown>; handlers: Map<string, (...args: unknown[]) => unknown> }[] = [];
vi.mock('electron', () => {
  class BrowserWindow {
    readonly handlers = new Map<string, (...args: unknown[]) => unknown>();
    openHandler: (() => unknown) | undefined;
    readonly webContents = {
      setWindowOpenHandler: (handler: () => unknown) => {
        this.openHandler = handler;
        this.handlers.set('window-open', handler);
      },
      on: (name: string, handler: (...args: unknown[]) => unknown) => this.handlers.set(name, handler),
    };
    constructor(options: Record<string, unknown>) {
      created.push({ options, handlers: this.handlers });
    }
    once() {}
    loadURL = vi.fn(async () => undefined);
  }
  return { BrowserWindow };
});

const { createMainWindow, viewUrl } = await import('./window');

describe('createMainWindow', () => {
  beforeEach(() => {
    created.length = 0;
  });

  it('isolates and sandboxes the renderer with no Node integration', () => {
    createMainWindow({ preloadPath: '/app/out/preload/index.cjs', rendererUrl: 'file:///app/out/renderer/index.html' });
    expect(created[0]?.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
  });

  it('denies new windows and blocks navigation away from the app', () => {
    createMainWindow({ preloadPath: '/p.cjs', rendererUrl: 'file:///r/index.html' });
    const handlers = created[0]?.handlers;
    expect(handlers?.get('window-open')?.()).toEqual({ action: 'deny' });
    const event = { preventDefault: vi.fn() };
    handlers?.get('will-navigate')?.(event, 'https://example.com');
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('viewUrl', () => {
  it.each([
    ['file:///app/out/renderer/index.html', 'chat', 'file:///app/out/renderer/index.html#view=chat'],
    ['http://localhost:5173/', 'dashboard', 'http://localhost:5173/#view=dashboard'],
  ] as const)('%s → %s', (url, view, expected) => {
    expect(viewUrl(url, view)).toBe(expected);
  });
});
