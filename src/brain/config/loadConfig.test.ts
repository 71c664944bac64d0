import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './ConfigError';
import { loadConfig } from './loadConfig';
import { shippedConfigDir } from './paths';
import { bytesPerGib } from './units';

const defaultsDir = shippedConfigDir({});

describe('loadConfig', () => {
  let userDir: string;
  const shipped = () => loadConfig({ defaultsDir, userDir: null });
  const writeUser = (name: string, text: string) => writeFileSync(path.join(userDir, name), text);

  beforeEach(() => {
    userDir = mkdtempSync(path.join(tmpdir(), 'mai-config-'));
  });
  afterEach(() => rmSync(userDir, { recursive: true, force: true }));

  it('uses the shipped files alone when the user has none', () => {
    const loaded = loadConfig({ defaultsDir, userDir });
    expect(loaded.errors).toEqual([]);
    expect(loaded).toEqual(shipped());
    expect(loaded.models.models.length).toBeGreaterThan(0);
  });

  it('lays user files over the defaults: a changed field, an added model, a changed tier threshold', () => {
    writeUser(
      'models.yaml',
      [
        'models:',
        '  - key: qwen/qwen3-8b',
        '    display_name: My Qwen',
        '  - key: me/finetune',
        '    display_name: My finetune',
        '    category: medium',
        '    min_memory_gb: 7',
        '    min_vram_gb: 7',
        '    context_window: 16384',
        '    capabilities: [chat]',
        '    fallback: [qwen/qwen3-8b]',
      ].join('\n'),
    );
    writeUser('resource_tiers.yaml', 'tiers:\n  mid_range:\n    scaling_thresholds:\n      memory_percent: 70\n');
    const loaded = loadConfig({ defaultsDir, userDir });
    const defaults = shipped();
    expect(loaded.errors).toEqual([]);
    const qwen = loaded.models.models.find((model) => model.key === 'qwen/qwen3-8b');
    const shippedQwen = defaults.models.models.find((model) => model.key === 'qwen/qwen3-8b');
    expect(qwen).toEqual({ ...shippedQwen, displayName: 'My Qwen' });
    expect(loaded.models.models.at(-1)).toMatchObject({ key: 'me/finetune', minMemoryBytes: 7 * bytesPerGib });
    expect(loaded.models.models).toHaveLength(defaults.models.models.length + 1);
    expect(loaded.tiers.mid_range.scalingThresholds).toEqual({
      memoryPercent: 70,
      cpuPercent: defaults.tiers.mid_range.scalingThresholds.cpuPercent,
    });
    expect(loaded.tiers.high_end).toEqual(defaults.tiers.high_end);
  });

  it('keeps going on a broken user file: defaults for that file, its errors reported, the other file still applied', () => {
    writeUser('models.yaml', 'models:\n  - key: qwen/qwen3-8b\n    category: enormous\n');
    writeUser('resource_tiers.yaml', 'tiers:\n  low_end:\n    scaling_thresholds: { cpu_percent: 95 }\n');
    const loaded = loadConfig({ defaultsDir, userDir });
    expect(loaded.models).toEqual(shipped().models);
    expect(loaded.tiers.low_end.scalingThresholds.cpuPercent).toBe(95);
    expect(loaded.errors).toEqual([
      {
        file: path.join(userDir, 'models.yaml'),
        line: 3,
        path: 'models[0].category',
        message: 'category must be one of small, medium, large, got "enormous"',
      },
    ]);
  });

  it('reports a user file with a YAML syntax error and uses the defaults', () => {
    writeUser('resource_tiers.yaml', 'tiers:\n  low_end:\n    ram_gb: {min: 2\n');
    const loaded = loadConfig({ defaultsDir, userDir });
    expect(loaded.tiers).toEqual(shipped().tiers);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatchObject({ file: path.join(userDir, 'resource_tiers.yaml'), path: '' });
    expect(loaded.errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('reports a user file that cannot be read', () => {
    mkdirSync(path.join(userDir, 'models.yaml'));
    const loaded = loadConfig({ defaultsDir, userDir });
    expect(loaded.models).toEqual(shipped().models);
    expect(loaded.errors).toEqual([
      { file: path.join(userDir, 'models.yaml'), line: null, path: '', message: 'cannot be read (EISDIR)' },
    ]);
  });

  it('throws a ConfigError for broken shipped defaults', () => {
    const brokenDefaults = mkdtempSync(path.join(tmpdir(), 'mai-defaults-'));
    try {
      copyFileSync(path.join(defaultsDir, 'models.yaml'), path.join(brokenDefaults, 'models.yaml'));
      writeFileSync(path.join(brokenDefaults, 'resource_tiers.yaml'), 'tiers:\n  low_end: {}\n');
      expect(() => loadConfig({ defaultsDir: brokenDefaults, userDir })).toThrow(ConfigError);
      rmSync(path.join(brokenDefaults, 'models.yaml'));
      expect(() => loadConfig({ defaultsDir: brokenDefaults, userDir })).toThrow(
        /models\.yaml: cannot be read \(ENOENT\)/,
      );
    } finally {
      rmSync(brokenDefaults, { recursive: true, force: true });
    }
  });
});
