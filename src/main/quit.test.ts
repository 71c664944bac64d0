import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quitAfterShutdown } from './quit';

/**
 * Electron's quit as far as before-quit goes: quit() emits it with a fresh event, and the app exits unless a
 * listener called preventDefault.
 */
function fakeApp() {
  const emitter = new EventEmitter();
  const state = { exited: false, quitRequests: 0 };
  const app = {
    on: (event: 'before-quit', listener: (event: { preventDefault(): void }) => void) => emitter.on(event, listener),
    quit: () => {
      state.quitRequests += 1;
      let prevented = false;
      emitter.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) state.exited = true;
    },
  };
  return { app, state };
}

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => vi.useRealTimers());

describe('quitAfterShutdown', () => {
  it('holds the quit until the shutdown (unpublish, unload, store closed) has finished, then quits', async () => {
    const { app, state } = fakeApp();
    const shutdown = deferred();
    const steps: string[] = [];
    quitAfterShutdown({
      app,
      onQuitting: () => steps.push('quitting'),
      shutdown: async () => {
        steps.push('shutdown started');
        await shutdown.promise;
        steps.push('shutdown finished');
      },
    });
    app.quit();
    expect(state.exited).toBe(false);
    expect(steps).toEqual(['quitting', 'shutdown started']);
    shutdown.resolve();
    await vi.waitFor(() => expect(state.exited).toBe(true));
    expect(steps).toEqual(['quitting', 'shutdown started', 'shutdown finished']);
  });

  it('joins quit requests made during the wait to the shutdown under way', async () => {
    const { app, state } = fakeApp();
    const shutdown = deferred();
    const shutdowns = vi.fn(() => shutdown.promise);
    const onQuitting = vi.fn();
    quitAfterShutdown({ app, onQuitting, shutdown: shutdowns });
    app.quit();
    app.quit();
    expect(state.exited).toBe(false);
    shutdown.resolve();
    await vi.waitFor(() => expect(state.exited).toBe(true));
    expect(shutdowns).toHaveBeenCalledTimes(1);
    expect(onQuitting).toHaveBeenCalledTimes(1);
    // Two requests from outside, one from quitAfterShutdown once the shutdown was done.
    expect(state.quitRequests).toBe(3);
  });

  it('quits after the bound when an engine never finishes unloading', async () => {
    vi.useFakeTimers();
    const { app, state } = fakeApp();
    const warn = vi.fn();
    quitAfterShutdown({
      app,
      onQuitting: () => {},
      shutdown: () => new Promise<void>(() => {}),
      timeoutMs: 5_000,
      logger: { warn },
    });
    app.quit();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(state.exited).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(state.exited).toBe(true);
    expect(warn).toHaveBeenCalledWith('shutdown took over 5000 ms; quitting without it');
  });

  it('quits when the shutdown fails, and says why', async () => {
    const { app, state } = fakeApp();
    const warn = vi.fn();
    quitAfterShutdown({
      app,
      onQuitting: () => {},
      shutdown: () => Promise.reject(new Error('engine gone')),
      logger: { warn },
    });
    app.quit();
    await vi.waitFor(() => expect(state.exited).toBe(true));
    expect(warn).toHaveBeenCalledWith('shutdown failed; quitting anyway', { error: 'Error: engine gone' });
  });
});
