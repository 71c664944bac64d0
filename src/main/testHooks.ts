import type { TrayAction, TrayMenuItem } from './trayMenu';
import type { TrayPressure } from './trayPressure';

/** What the Electron E2E test reads from the main process: the tray's items and a way to click one. */
export interface MaiTestHooks {
  trayMenu(): TrayMenuItem[];
  clickTray(action: TrayAction): void;
  /** Which of the three icons the tray shows now. */
  trayPressure(): TrayPressure;
}

/**
 * Exposed on globalThis only when MAI_E2E=1 (Playwright's electron.launch sets it): a native tray menu cannot be
 * read back through Electron's API, so the test checks the same pure items the tray was built from.
 */
export function exposeTestHooks(hooks: MaiTestHooks, env: NodeJS.ProcessEnv = process.env): void {
  if (env.MAI_E2E !== '1') return;
  (globalThis as { maiTestHooks?: MaiTestHooks }).maiTestHooks = hooks;
}
