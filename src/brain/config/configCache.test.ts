import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigCache } from './loadConfig';
import { shippedConfigDir } from './paths';

const defaultsDir = shippedConfigDir({});

function setup() {
  const home = mkdtempSync(path.join(tmpdir(), 'mai-config-cache-'));
  const userDir = path.join(home, 'config');
  mkdirSync(userDir);
  const cache: ConfigCache = { file: path.join(home, 'cache', 'config.json'), maiVersion: '1.0.0' };
  return {
    userDir,
    cache,
    load: (over: Partial<ConfigCache> = {}) => loadConfig({ defaultsDir, userDir }, { ...cache, ...over }),
  };
}

describe('the parsed-configuration cache', () => {
  it('gives back exactly what a parse gives, and is what a second start reads', () => {
    const { userDir, cache, load } = setup();
    const parsed = loadConfig({ defaultsDir, userDir });
    expect(load()).toEqual(parsed);
    const written = JSON.parse(readFileSync(cache.file, 'utf8')) as { config: unknown };
    expect(written.config).toEqual(parsed);
    // A second start: the value now comes from the cache file, and it is the same.
    expect(load()).toEqual(parsed);
  });

  it('parses again when a user file changes in any byte, with its errors naming file and line', () => {
    const { userDir, load } = setup();
    load();
    const file = path.join(userDir, 'resource_tiers.yaml');
    writeFileSync(file, 'tiers:\n  mid_range:\n    cpu_cores:\n      min: many\n');
    expect(load().errors).toEqual([expect.objectContaining({ file, line: 4, path: 'tiers.mid_range.cpu_cores.min' })]);
    writeFileSync(file, 'tiers: {}\n');
    expect(load().errors).toEqual([]);
  });

  it('does not trust what another version of Mai kept, nor a file that is not one', () => {
    const { cache, load } = setup();
    const first = load();
    writeFileSync(cache.file, JSON.stringify({ key: 'x', config: { models: 'not this' } }));
    expect(load()).toEqual(first);
    const otherVersion = JSON.parse(readFileSync(cache.file, 'utf8')) as { key: string };
    load({ maiVersion: '2.0.0' });
    expect((JSON.parse(readFileSync(cache.file, 'utf8')) as { key: string }).key).not.toBe(otherVersion.key);
    writeFileSync(cache.file, '{');
    expect(load()).toEqual(first);
  });
});
