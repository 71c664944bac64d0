import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mainPaths } from '../src/main/mainPaths';

interface FileSet {
  from: string;
  to: string;
  filter: string[];
}
interface BuilderConfig {
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: FileSet[];
  linux: { target: string[]; executableName: string };
  mac: { target: string[] };
  win: { target: string[] };
}

const repoRoot = path.resolve(import.meta.dirname, '..');
const config = parse(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('builds AppImage and deb on Linux, dmg on macOS, NSIS on Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('keeps node-llama-cpp’s and koffi’s native binaries outside app.asar', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'node_modules/node-llama-cpp/bins',
        'node_modules/node-llama-cpp/llama/localBuilds',
        'node_modules/@node-llama-cpp/*',
        'node_modules/@koromix/*',
      ]),
    );
  });

  it('packs the build output and package.json, never the sources or tests', () => {
    const included = config.files.filter((pattern) => !pattern.startsWith('!'));
    expect(included).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    for (const pattern of included) expect(pattern).toMatch(/^(out\/|package\.json$|node_modules\/)/);
    expect(config.files.some((pattern) => /^(src|test|e2e|bench|scripts)\b/.test(pattern))).toBe(false);
    // The installers must not land inside the next build's app.asar.
    expect(config.directories.output).not.toMatch(/^out\b/);
  });

  it('ships config/ and the tray icons where the packaged main looks for them', () => {
    const resourcesPath = path.join(path.sep, 'opt', 'Mai', 'resources');
    const packaged = mainPaths({ mainDir: '/x/out/main', isPackaged: true, resourcesPath, env: {} });
    const shipped = (to: string) => config.extraResources.find((set) => set.to === to);
    expect(shipped('config')).toMatchObject({ from: 'config', filter: ['*.yaml'] });
    expect(packaged.configDefaultsDir).toBe(path.join(resourcesPath, 'config'));
    expect(shipped('icons')).toMatchObject({ from: 'resources', filter: ['tray-*.png'] });
    expect(packaged.iconDir).toBe(path.join(resourcesPath, 'icons'));
  });

  it('takes the app icon from resources/, large enough for macOS (512 px)', () => {
    expect(config.directories.buildResources).toBe('resources');
    const png = readFileSync(path.join(repoRoot, 'resources', 'icon.png'));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
  });

  it('names the Linux executable apart from the mai CLI', () => {
    expect(config.linux.executableName).not.toBe('mai');
  });
});
