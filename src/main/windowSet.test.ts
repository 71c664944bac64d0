import { describe, expect, it, vi } from 'vitest';
import { createWindowSet, type View, type ViewWindow } from './windowSet';

function fakeWindow() {
  let close: ((event: { preventDefault(): void }) => void) | undefined;
  const window = {
    visible: false,
    minimized: false,
    destroyed: false,
    show: vi.fn(() => (window.visible = true)),
    focus: vi.fn(),
    hide: vi.fn(() => (window.visible = false)),
    restore: vi.fn(() => (window.minimized = false)),
    isMinimized: () => window.minimized,
    isDestroyed: () => window.destroyed,
    on: (_event: 'close', listener: (event: { preventDefault(): void }) => void) => (close = listener),
    /** A click on the close button: returns whether it went through. */
    clickClose() {
      let prevented = false;
      close?.({ preventDefault: () => (prevented = true) });
      if (!prevented) window.destroyed = true;
      return !prevented;
    },
  };
  return window;
}

function setup() {
  const opened: { view: View; window: ReturnType<typeof fakeWindow> }[] = [];
  let quitting = false;
  const set = createWindowSet({
    open: (view): ViewWindow => {
      const window = fakeWindow();
      opened.push({ view, window });
      return window;
    },
    isQuitting: () => quitting,
  });
  return { set, opened, quit: () => (quitting = true) };
}

describe('createWindowSet', () => {
  it('opens one window per view and brings it forward on every show', () => {
    const { set, opened } = setup();
    set.show('chat');
    set.show('chat');
    set.show('dashboard');
    expect(opened.map((o) => o.view)).toEqual(['chat', 'dashboard']);
    expect(opened[0]?.window.focus).toHaveBeenCalledTimes(2);
  });

  it('restores a minimised window before showing it', () => {
    const { set, opened } = setup();
    set.show('chat');
    const chat = opened[0]!.window;
    chat.minimized = true;
    set.show('chat');
    expect(chat.restore).toHaveBeenCalled();
    expect(chat.minimized).toBe(false);
  });

  it('hides to the tray on close, and closes for real once quitting', () => {
    const { set, opened, quit } = setup();
    set.show('chat');
    const chat = opened[0]!.window;
    expect(chat.clickClose()).toBe(false);
    expect(chat.visible).toBe(false);
    quit();
    expect(chat.clickClose()).toBe(true);
    expect(set.get('chat')).toBeNull();
  });

  it('opens a new window for a view whose window was destroyed', () => {
    const { set, opened } = setup();
    set.show('dashboard');
    opened[0]!.window.destroyed = true;
    set.show('dashboard');
    expect(opened).toHaveLength(2);
  });
});
