import { Menu, nativeImage, Tray } from 'electron';
import path from 'node:path';
import type { Brain, Logger } from '../brain';
import type { LoginItem } from './loginItem';
import { toElectronMenu } from './trayElectron';
import {
  buildTrayMenu,
  pauseTarget,
  trayTooltip,
  type TrayAction,
  type TrayMenuItem,
  type TrayState,
} from './trayMenu';
import { trayIconFile, trayPressure, type TrayPressure } from './trayPressure';
import { createTrayRefresher } from './trayRefresher';
import { followBrainForTray, switchFromTray } from './trayState';

export interface TrayControllerOptions {
  brain: Brain;
  version: string;
  /** Where tray-calm.png, tray-strained.png and tray-over.png are. */
  iconDir: string;
  loginItem: LoginItem;
  logger: Logger;
  openChat(): void;
  openDashboard(): void;
  quit(): void;
}

export interface TrayController {
  /** The items the native menu was built from (the E2E hooks read them). */
  menu(): TrayMenuItem[];
  pressure(): TrayPressure;
  click(action: TrayAction): void;
  /** Stops following the brain; the tray itself goes with the process. */
  stop(): void;
}

/**
 * The tray: its menu, tooltip and icon follow the brain; its clicks become brain requests or window actions. The
 * icon is swapped only when the pressure changes, the menu only when its text does (see trayRefresher).
 */
export function createTrayController(options: TrayControllerOptions): TrayController {
  const { brain, loginItem, logger } = options;
  const image = (pressure: TrayPressure) =>
    nativeImage.createFromPath(path.join(options.iconDir, trayIconFile(pressure)));
  let pressure: TrayPressure = 'calm';
  const tray = new Tray(image(pressure));
  const state: TrayState = {
    version: options.version,
    sample: null,
    model: null,
    mood: null,
    models: [],
    personality: '',
    startAtLogin: { available: loginItem.available, enabled: loginItem.available && loginItem.isEnabled() },
  };

  const switchTo = (key: string) =>
    void switchFromTray(brain, key).then((error) => {
      if (error) logger.warn(`switching to ${key} from the tray failed: ${error}`);
    });
  const click = (action: TrayAction): void => {
    switch (action.kind) {
      case 'open-chat':
        return options.openChat();
      case 'open-dashboard':
        return options.openDashboard();
      case 'quit':
        return options.quit();
      case 'switch':
        return switchTo(action.key);
      case 'toggle-pause': {
        const key = pauseTarget(state.model);
        if (key) switchTo(key);
        return;
      }
      case 'toggle-start-at-login': {
        if (!loginItem.available) return;
        try {
          loginItem.setEnabled(!state.startAtLogin.enabled);
        } catch (error) {
          logger.warn('could not change Start at login', { error: String(error) });
        }
        // Read back what the system now says rather than trusting the request.
        state.startAtLogin = { available: true, enabled: loginItem.isEnabled() };
        return refresh();
      }
    }
  };

  const refreshMenu = createTrayRefresher({
    setMenu: (items) => tray.setContextMenu(Menu.buildFromTemplate(toElectronMenu(items, click))),
    setToolTip: (text) => tray.setToolTip(text),
  });
  const refresh = () => {
    refreshMenu(buildTrayMenu(state), trayTooltip(state));
    const next = trayPressure(state.mood);
    if (next !== pressure) {
      pressure = next;
      tray.setImage(image(pressure));
    }
  };
  refresh();
  const stopFollowing = followBrainForTray(brain, state, refresh);
  // Windows shows the menu on a right click and leaves the left one to the app; macOS opens the menu on any click
  // and Linux's indicators send no clicks at all, so only Windows gets "click opens the chat".
  if (process.platform === 'win32') tray.on('click', () => options.openChat());

  return { menu: () => buildTrayMenu(state), pressure: () => pressure, click, stop: stopFollowing };
}
