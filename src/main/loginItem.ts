import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** "Start at login": whether it can be offered here, whether it is on, and turning it on or off. */
export interface LoginItem {
  /** Only an installed app can be started at login: a checkout's Electron would open without Mai in it. */
  readonly available: boolean;
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

/** The part of Electron's `app` that registers login items (macOS and Windows only). */
export interface LoginItemApp {
  readonly isPackaged: boolean;
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

/** Quotes one Exec argument as the Desktop Entry spec asks: in double quotes, with ", `, $ and \ escaped. */
export function desktopExecArgument(value: string): string {
  return `"${value.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** The XDG autostart entry that starts Mai at login on Linux desktops (GNOME, KDE, Xfce, …). */
export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Mai',
    'Comment=Mai watches the machine and chats through local models',
    `Exec=${desktopExecArgument(executable)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Electron's setLoginItemSettings covers macOS and Windows; on Linux the desktop reads
 * `$XDG_CONFIG_HOME/autostart/*.desktop`, so Mai writes its own entry there. Off until the person turns it on.
 */
export function createLoginItem(options: {
  app: LoginItemApp;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  execPath: string;
}): LoginItem {
  const { app, platform, env } = options;
  if (platform === 'darwin' || platform === 'win32') {
    return {
      available: app.isPackaged,
      isEnabled: () => app.getLoginItemSettings().openAtLogin,
      setEnabled: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
    };
  }
  const file = path.join(env.XDG_CONFIG_HOME || path.join(options.homeDir, '.config'), 'autostart', 'mai.desktop');
  // An AppImage runs from a temporary mount; APPIMAGE names the file itself, which is what must start next time.
  const executable = env.APPIMAGE || options.execPath;
  return {
    available: app.isPackaged,
    isEnabled: () => existsSync(file) && !/^Hidden\s*=\s*true\s*$/m.test(readFileSync(file, 'utf8')),
    setEnabled(enabled) {
      if (!enabled) return rmSync(file, { force: true });
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, autostartEntry(executable));
    },
  };
}
