import type { Brain, Logger } from '../brain';
import { removeInstanceFile, writeInstanceFile } from '../server/instanceFile';
import { startWebBridge } from '../server/webBridge';

/**
 * Makes the tray app reachable the way `mai serve` is: the web bridge on loopback behind a fresh token, announced in
 * `$MAI_HOME/instance.json`, so `mai switch` (and a browser) reach this running Mai. Returns the cleanup.
 */
export async function publishInstance(options: {
  brain: Brain;
  rendererDir: string;
  version: string;
  logger: Logger;
  /** The folder `mai switch` looks in: the tray app's own data folder. */
  maiHome: string;
}): Promise<() => Promise<void>> {
  const bridge = await startWebBridge({ brain: options.brain, rendererDir: options.rendererDir });
  const { maiHome } = options;
  writeInstanceFile(maiHome, {
    pid: process.pid,
    port: bridge.port,
    host: '127.0.0.1',
    token: bridge.token,
    startedAtMs: Date.now(),
    version: options.version,
  });
  options.logger.info('reachable for mai switch and browsers', { url: bridge.url.replace(/#token=.*/, '') });
  return async () => {
    removeInstanceFile(maiHome);
    await bridge.close();
  };
}
