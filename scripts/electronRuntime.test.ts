import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureElectronRuntime, type RuntimeOptions } from './electronRuntime';
import type { Command } from './runBounded';

let packageDir: string;
let said: string[];

beforeEach(() => {
  packageDir = mkdtempSync(path.join(os.tmpdir(), 'mai-electron-pkg-'));
  writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  said = [];
});
afterEach(() => rmSync(packageDir, { recursive: true, force: true }));

/** An installer stand-in: a real child process running `script` with the package folder as its argument. */
function installer(script: string): Command {
  return { command: process.execPath, args: ['-e', script, packageDir] };
}

const installsRuntime = () =>
  installer(`
  const fs = require('fs'), path = require('path'), dir = process.argv[1];
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dist', 'electron-runtime'), 'binary');
  fs.writeFileSync(path.join(dir, 'path.txt'), 'electron-runtime');
`);

function run(options: Partial<RuntimeOptions>) {
  return ensureElectronRuntime({ packageDir, env: {}, say: (line) => said.push(line), ...options });
}

describe('ensureElectronRuntime', () => {
  it('uses a runtime that is already there without running the installer', async () => {
    mkdirSync(path.join(packageDir, 'dist'));
    writeFileSync(path.join(packageDir, 'dist', 'present'), 'binary');
    writeFileSync(path.join(packageDir, 'path.txt'), 'present');
    const marker = path.join(packageDir, 'installer-ran');
    const result = await run({ installer: installer(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`) });
    expect(result).toEqual({
      ok: true,
      path: path.join(packageDir, 'dist', 'present'),
      distDir: path.join(packageDir, 'dist'),
      installedNow: false,
    });
    expect(existsSync(marker)).toBe(false);
    expect(said).toEqual([]);
  });

  it('runs the installer when the runtime is absent, says so, and starts what it installed', async () => {
    const result = await run({ installer: installsRuntime() });
    expect(result).toMatchObject({
      ok: true,
      path: path.join(packageDir, 'dist', 'electron-runtime'),
      installedNow: true,
    });
    expect(said[0]).toMatch(/^Fetching the Electron 45\.4\.1 runtime with Electron's installer/);
    expect(said.at(-1)).toBe('Electron runtime installed.');
  });

  it('explains a failed install with the installer’s own reason, points at mai serve, and leaves nothing behind', async () => {
    const failing = installer(`
      const fs = require('fs'), path = require('path'), dir = process.argv[1];
      fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'dist', 'half-extracted'), '');
      fs.writeFileSync(path.join(dir, 'path.txt'), 'electron');
      console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async download');
      process.exit(1);
    `);
    const result = await run({ installer: failing });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('(TypeError: fetch failed; exited with 1)');
    expect(message).not.toContain('undici');
    expect(message).toContain('npx mai serve');
    expect(message).not.toContain('\n');
    expect(existsSync(path.join(packageDir, 'dist'))).toBe(false);
    expect(existsSync(path.join(packageDir, 'path.txt'))).toBe(false);
  });

  it('gives up on an installer that hangs, within the bound', async () => {
    // The stand-in would sleep a minute, twice the test's own limit: only the bound can end it in time.
    const result = await run({ installer: installer('setTimeout(() => {}, 60_000)'), installTimeoutMs: 300 });
    expect(result.ok ? '' : result.message).toContain('(it did not finish within 0.3 s)');
  });

  it('reports an installer that exits 0 yet installs nothing', async () => {
    const result = await run({ installer: installer('') });
    expect(result.ok ? '' : result.message).toContain('no runtime binary is in place');
  });

  it('does not install over ELECTRON_OVERRIDE_DIST_PATH, which the person set', async () => {
    const override = path.join(packageDir, 'elsewhere');
    const result = await run({ env: { ELECTRON_OVERRIDE_DIST_PATH: override }, installer: installsRuntime() });
    expect(result.ok ? '' : result.message).toContain(`${override}${path.sep}electron`);
    expect(existsSync(path.join(packageDir, 'dist'))).toBe(false);
  });
});
