import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autostartEntry, createLoginItem, desktopExecArgument } from './loginItem';

function fakeApp(isPackaged = true) {
  let openAtLogin = false;
  return {
    isPackaged,
    getLoginItemSettings: vi.fn(() => ({ openAtLogin })),
    setLoginItemSettings: vi.fn((settings: { openAtLogin: boolean }) => (openAtLogin = settings.openAtLogin)),
  };
}

describe.each(['darwin', 'win32'] as const)('createLoginItem on %s', (platform) => {
  it('goes through Electron’s login item settings, off until turned on', () => {
    const app = fakeApp();
    const item = createLoginItem({ app, platform, env: {}, homeDir: '/home/u', execPath: '/Applications/Mai.app' });
    expect(item.available).toBe(true);
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true });
    expect(item.isEnabled()).toBe(true);
    item.setEnabled(false);
    expect(item.isEnabled()).toBe(false);
  });

  it('is not offered from a checkout', () => {
    const item = createLoginItem({ app: fakeApp(false), platform, env: {}, homeDir: '/h', execPath: '/e' });
    expect(item.available).toBe(false);
  });
});

describe('createLoginItem on Linux (XDG autostart)', () => {
  let configHome: string;
  beforeEach(() => {
    configHome = mkdtempSync(path.join(os.tmpdir(), 'mai-xdg-'));
  });
  afterEach(() => rmSync(configHome, { recursive: true, force: true }));

  const entry = () => path.join(configHome, 'autostart', 'mai.desktop');
  const linux = (env: NodeJS.ProcessEnv) =>
    createLoginItem({
      app: fakeApp(),
      platform: 'linux',
      env: { XDG_CONFIG_HOME: configHome, ...env },
      homeDir: '/h',
      execPath: '/opt/Mai/mai-desktop',
    });

  it('writes and removes its autostart entry, off until turned on', () => {
    const item = linux({});
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    expect(readFileSync(entry(), 'utf8')).toContain('Exec="/opt/Mai/mai-desktop"\n');
    expect(item.isEnabled()).toBe(true);
    item.setEnabled(false);
    expect(existsSync(entry())).toBe(false);
    expect(item.isEnabled()).toBe(false);
  });

  it('starts the AppImage file itself, not its temporary mount', () => {
    linux({ APPIMAGE: '/home/u/Apps/Mai 0.1.0.AppImage' }).setEnabled(true);
    expect(readFileSync(entry(), 'utf8')).toContain('Exec="/home/u/Apps/Mai 0.1.0.AppImage"\n');
  });

  it('reads an entry the desktop’s settings switched off (Hidden=true) as off', () => {
    const item = linux({});
    item.setEnabled(true);
    writeFileSync(entry(), `${readFileSync(entry(), 'utf8')}Hidden=true\n`);
    expect(item.isEnabled()).toBe(false);
  });
});

describe('autostart entry', () => {
  it('quotes the executable as the Desktop Entry spec asks', () => {
    expect(desktopExecArgument('/a b/$x"`\\y')).toBe('"/a b/\\$x\\"\\`\\\\y"');
    expect(autostartEntry('/opt/Mai/mai-desktop').split('\n').slice(0, 2)).toEqual([
      '[Desktop Entry]',
      'Type=Application',
    ]);
  });
});
