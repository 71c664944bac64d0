import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveMaiHome } from '../brain/config/paths';

/**
 * The checkout (or installed package) Mai runs from: the nearest folder above this file whose package.json is
 * Mai's. Works the same from the bundle (out/cli) and from source (src/cli) under tsx or vitest.
 */
export function findAppRoot(fromDir = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mai') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find Mai's package.json above ${fromDir}`);
  }
}

/** The built renderer that `mai serve` hands to browsers. */
export function rendererDir(): string {
  return path.join(findAppRoot(), 'out', 'renderer');
}

/** Mai's data folder as the brain resolves it ($MAI_HOME, else the platform's per-user config folder). */
export function maiHomeDir(): string {
  return resolveMaiHome(process.env, process.platform, os.homedir());
}
