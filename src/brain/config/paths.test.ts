import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveMaiHome, shippedConfigDir, userConfigDir } from './paths';

describe('resolveMaiHome', () => {
  it.each([
    ['MAI_HOME wins everywhere', { MAI_HOME: '/data/mai', XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u', '/data/mai'],
    ['an empty MAI_HOME is unset', { MAI_HOME: '' }, 'linux', '/home/u', '/home/u/.config/Mai'],
    ['Linux uses XDG_CONFIG_HOME', { XDG_CONFIG_HOME: '/home/u/cfg' }, 'linux', '/home/u', '/home/u/cfg/Mai'],
    ['Linux defaults to ~/.config', {}, 'linux', '/home/u', '/home/u/.config/Mai'],
    ['macOS uses Application Support', {}, 'darwin', '/Users/u', '/Users/u/Library/Application Support/Mai'],
    [
      'Windows uses APPDATA',
      { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
      'win32',
      'C:\\Users\\u',
      'C:\\Users\\u\\AppData\\Roaming\\Mai',
    ],
    ['Windows without APPDATA', {}, 'win32', 'C:\\Users\\u', 'C:\\Users\\u\\AppData\\Roaming\\Mai'],
  ] as const)('%s', (_what, env, platform, homeDir, expected) => {
    expect(resolveMaiHome(env, platform, homeDir)).toBe(expected);
  });

  it('puts user config files under config/', () => {
    expect(userConfigDir('/data/mai', 'linux')).toBe('/data/mai/config');
    expect(userConfigDir('C:\\mai', 'win32')).toBe('C:\\mai\\config');
  });
});

describe('shippedConfigDir', () => {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'mai-paths-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("finds the repository's config/ from this source folder", () => {
    const repoConfig = path.resolve(import.meta.dirname, '../../../config');
    expect(shippedConfigDir({})).toBe(repoConfig);
  });

  it('walks up from a bundle folder such as out/main', () => {
    mkdirSync(path.join(root, 'app', 'config'), { recursive: true });
    mkdirSync(path.join(root, 'app', 'out', 'main'), { recursive: true });
    writeFileSync(path.join(root, 'app', 'config', 'resource_tiers.yaml'), 'tiers: {}\n');
    expect(shippedConfigDir({}, path.join(root, 'app', 'out', 'main'))).toBe(path.join(root, 'app', 'config'));
  });

  it('skips a config/ folder without the tiers file', () => {
    mkdirSync(path.join(root, 'app', 'out', 'config'), { recursive: true });
    expect(shippedConfigDir({}, path.join(root, 'app', 'out', 'main'))).toBe(path.join(root, 'app', 'config'));
  });

  it('honours MAI_CONFIG_DIR', () => {
    expect(shippedConfigDir({ MAI_CONFIG_DIR: '/opt/mai/config' })).toBe(path.resolve('/opt/mai/config'));
  });

  it('says what to set when there is none', () => {
    const lonely = mkdtempSync(path.join(root, 'lonely-'));
    expect(() => shippedConfigDir({}, lonely)).toThrow(/MAI_CONFIG_DIR/);
  });
});
