/**
 * Electron main: a thin shell over the brain. It owns the tray, the windows and the IPC bridge; every decision
 * lives in the brain, which `mai serve` and the CLI host the same way. The wiring is in mainApp.ts.
 */
import { app } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMai } from './mainApp';

// Ctrl-C in the terminal of `npm start`, or a service manager's stop: quit the same way the tray's Quit does, so
// models are unloaded and conversations flushed. `on`, not `once`: signal-exit (loaded with node-llama-cpp) re-raises
// a signal whose only other listener is its own, which would end the app before its shutdown ran.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

runMai({ mainDir: path.dirname(fileURLToPath(import.meta.url)) }).catch((error: unknown) => {
  process.stderr.write(`[mai] error Mai could not start: ${String(error)}\n`);
  app.exit(1);
});
