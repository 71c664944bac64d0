import type { Logger } from '../brain';

/** The part of Electron's `app` a graceful quit needs (tests pass an EventEmitter). */
export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Unloading a model and flushing the conversation files take a moment; an engine stuck in native code must still
 * not keep Mai from quitting, so the wait is bounded.
 */
export const shutdownTimeoutMs = 10_000;

export interface GracefulQuitOptions {
  app: QuittingApp;
  /** Called once, at the first quit request, before the wait: stop feeding windows, let them close. */
  onQuitting(): void;
  /** Unpublish the instance, shut the brain down (models unloaded, conversation store closed). */
  shutdown(): Promise<void>;
  timeoutMs?: number;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Electron quits as soon as every `before-quit` listener has returned, so a listener that merely starts an async
 * shutdown has it cut off. Hold the first quit (preventDefault), await the shutdown within the bound, then quit for
 * real: the second `before-quit` passes through. Quit requests during the wait join the one under way.
 */
export function quitAfterShutdown(options: GracefulQuitOptions): void {
  let phase: 'running' | 'shutting-down' | 'done' = 'running';
  const timeoutMs = options.timeoutMs ?? shutdownTimeoutMs;
  options.app.on('before-quit', (event) => {
    if (phase === 'done') return;
    event.preventDefault();
    if (phase === 'shutting-down') return;
    phase = 'shutting-down';
    options.onQuitting();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timed-out'>((resolve) => {
      timer = setTimeout(() => resolve('timed-out'), timeoutMs);
    });
    const finished = options.shutdown().then(
      () => 'done' as const,
      (error: unknown) => {
        options.logger?.warn('shutdown failed; quitting anyway', { error: String(error) });
        return 'done' as const;
      },
    );
    void Promise.race([finished, deadline]).then((how) => {
      clearTimeout(timer);
      if (how === 'timed-out') options.logger?.warn(`shutdown took over ${timeoutMs} ms; quitting without it`);
      phase = 'done';
      options.app.quit();
    });
  });
}
