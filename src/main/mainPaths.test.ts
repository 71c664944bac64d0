import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainPaths, useMaiHome } from './mainPaths';

const mainDir = path.join(path.sep, 'app', 'out', 'main');

describe('mainPaths', () => {
  it('in a checkout: the built renderer and preload beside main, icons in resources/, config found by the brain', () => {
    const paths = mainPaths({ mainDir, isPackaged: false, resourcesPath: '/unused', env: {} });
    expect(paths).toEqual({
      rendererUrl: expect.stringMatching(/^file:\/\/\/.*app\/out\/renderer\/index\.html$/),
      rendererDir: path.join(path.sep, 'app', 'out', 'renderer'),
      preloadPath: path.join(path.sep, 'app', 'out', 'preload', 'index.cjs'),
      iconDir: path.join(path.sep, 'app', 'resources'),
      configDefaultsDir: undefined,
    });
  });

  it('installed: icons and config from the app’s resources folder (extraResources, outside app.asar)', () => {
    const resourcesPath = path.join(path.sep, 'opt', 'Mai', 'resources');
    const paths = mainPaths({ mainDir, isPackaged: true, resourcesPath, env: {} });
    expect(paths.iconDir).toBe(path.join(resourcesPath, 'icons'));
    expect(paths.configDefaultsDir).toBe(path.join(resourcesPath, 'config'));
  });

  it('leaves MAI_CONFIG_DIR to the brain, and follows the dev server under electron-vite dev', () => {
    const env = { MAI_CONFIG_DIR: '/etc/mai', ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    const paths = mainPaths({ mainDir, isPackaged: true, resourcesPath: '/r', env });
    expect(paths.configDefaultsDir).toBeUndefined();
    expect(paths.rendererUrl).toBe('http://localhost:5173');
  });
});

describe('useMaiHome', () => {
  function fakeApp(userData: string) {
    const paths = new Map([['userData', userData]]);
    return {
      getPath: (name: 'userData') => paths.get(name) ?? '',
      setPath: (name: 'userData', value: string) => paths.set(name, value),
    };
  }

  it('is Electron’s userData when MAI_HOME is not set', () => {
    expect(useMaiHome(fakeApp('/home/u/.config/Mai'), {})).toBe('/home/u/.config/Mai');
    expect(useMaiHome(fakeApp('/home/u/.config/Mai'), { MAI_HOME: '' })).toBe('/home/u/.config/Mai');
  });

  it('moves userData to MAI_HOME, created and absolute', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    try {
      const app = fakeApp('/home/u/.config/Mai');
      const home = path.join(root, 'nested', 'home');
      expect(useMaiHome(app, { MAI_HOME: home })).toBe(home);
      expect(app.getPath('userData')).toBe(home);
      expect(existsSync(home)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
