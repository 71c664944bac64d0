export type View = 'chat' | 'dashboard';

/** What the window set needs of a BrowserWindow (tests pass plain objects). */
export interface ViewWindow {
  show(): void;
  focus(): void;
  hide(): void;
  restore(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
}

export interface WindowSet {
  /** Brings the view's window to the front, opening it (or again, after a real close) when needed. */
  show(view: View): void;
  /** The open window of a view, if any (the E2E hooks read it). */
  get(view: View): ViewWindow | null;
}

/**
 * One window per view. Closing a window hides it to the tray, since Mai keeps watching the machine until Quit;
 * only once quitting has begun does a close go through.
 */
export function createWindowSet(options: { open(view: View): ViewWindow; isQuitting(): boolean }): WindowSet {
  const windows = new Map<View, ViewWindow>();
  const open = (view: View): ViewWindow => {
    const window = options.open(view);
    window.on('close', (event) => {
      if (options.isQuitting()) return;
      event.preventDefault();
      window.hide();
    });
    windows.set(view, window);
    return window;
  };
  return {
    show(view) {
      const existing = windows.get(view);
      const window = existing && !existing.isDestroyed() ? existing : open(view);
      // A minimised window ignores show() and focus() on Windows and some Linux desktops.
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    get(view) {
      const window = windows.get(view);
      return window && !window.isDestroyed() ? window : null;
    },
  };
}
