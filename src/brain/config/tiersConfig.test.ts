import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigErrorInfo } from './ConfigError';
import { deepMerge, layerTiersYaml, parseTiersYaml } from './tiersConfig';
import { bytesPerGib } from './units';

const file = 'resource_tiers.yaml';

function tierYaml(name: string, ramMin: number, ramMax: string, gpu: boolean, categories: string): string[] {
  return [
    `  ${name}:`,
    `    ram_gb: { min: ${ramMin}, max: ${ramMax} }`,
    '    cpu_cores: { min: 2, max: null }',
    `    gpu_required: ${gpu}`,
    '    gpu_vram_gb: { min: 6 }',
    `    preferred_models: ${categories}`,
    '    scaling_thresholds:',
    '      memory_percent: 80',
    '      cpu_percent: 85',
  ];
}

/** Line 1 is `tiers:`; each tier takes 9 lines: low_end starts on line 2, mid_range on 11, high_end on 20. */
const valid = [
  'tiers:',
  ...tierYaml('low_end', 2, '4', false, '[small]'),
  ...tierYaml('mid_range', 4, '8', false, '[medium, small]'),
  ...tierYaml('high_end', 8, 'null', true, '[large, medium]'),
  '',
].join('\n');

function errorsOf(text: string): readonly ConfigErrorInfo[] {
  try {
    parseTiersYaml(text, file);
  } catch (error) {
    if (error instanceof ConfigError) return error.errors;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTiersYaml', () => {
  it('gives one camelCase spec per tier, sizes in bytes, open maxima as null', () => {
    const tiers = parseTiersYaml(valid, file);
    expect(tiers.high_end).toEqual({
      ramBytes: { min: 8 * bytesPerGib, max: null },
      cpuCores: { min: 2, max: null },
      gpuRequired: true,
      gpuVramBytes: { min: 6 * bytesPerGib },
      preferredCategories: ['large', 'medium'],
      scalingThresholds: { memoryPercent: 80, cpuPercent: 85 },
      // No on_battery: as on mains.
      onBattery: { preferredCategories: null, gpuOffload: true, lowCharge: null },
    });
    expect(tiers.low_end.ramBytes.max).toBe(4 * bytesPerGib);
  });

  it('reads on_battery preferences and a low_charge rule', () => {
    const text = valid.replace(
      '  mid_range:\n',
      [
        '  mid_range:',
        '    on_battery:',
        '      preferred_models: [small, medium]',
        '      low_charge: { below_percent: 30, gpu_offload: false }',
        '',
      ].join('\n'),
    );
    expect(parseTiersYaml(text, file).mid_range.onBattery).toEqual({
      preferredCategories: ['small', 'medium'],
      gpuOffload: true,
      lowCharge: { belowPercent: 30, preferredCategories: null, gpuOffload: false },
    });
  });

  /** mid_range with an on_battery block (lines 11-13) in front of its fields. */
  const withOnBattery = (block: string) => valid.replace('  mid_range:\n', `  mid_range:\n    on_battery:\n${block}\n`);

  it.each([
    [
      'a charge over 100',
      withOnBattery('      low_charge:\n        below_percent: 130'),
      14,
      'tiers.mid_range.on_battery.low_charge.below_percent',
      'below_percent must be a number above 0 and at most 100, got 130',
    ],
    [
      'gpu_offload as text',
      withOnBattery('      gpu_offload: "no"'),
      13,
      'tiers.mid_range.on_battery.gpu_offload',
      'gpu_offload must be true or false, got "no"',
    ],
    [
      'an unknown category on battery',
      withOnBattery('      preferred_models: [tiny]'),
      13,
      'tiers.mid_range.on_battery.preferred_models[0]',
      'preferred_models[0] must be one of small, medium, large, got "tiny"',
    ],
    [
      'a misspelt field',
      withOnBattery('      low_battery: { below_percent: 20 }'),
      13,
      'tiers.mid_range.on_battery.low_battery',
      'low_battery is not a known field, got {"below_percent":20}',
    ],
    [
      'a low_charge without its charge',
      withOnBattery('      low_charge: { gpu_offload: false }'),
      13,
      'tiers.mid_range.on_battery.low_charge.below_percent',
      'below_percent is required',
    ],
  ])('reports on_battery mistakes: %s, with file, line, path and value', (_what, text, line, path, message) => {
    expect(errorsOf(text)).toContainEqual({ file, line, path, message });
  });

  it.each([
    [
      'a min above its max',
      valid.replace('{ min: 4, max: 8 }', '{ min: 9, max: 8 }'),
      12,
      'tiers.mid_range.ram_gb',
      'ram_gb min must be ≤ max, got {"min":9,"max":8}',
    ],
    [
      'a percentage over 100',
      valid.replace('memory_percent: 80', 'memory_percent: 120'),
      9,
      'tiers.low_end.scaling_thresholds.memory_percent',
      'memory_percent must be a number above 0 and at most 100, got 120',
    ],
    [
      'a threshold as text',
      valid.replace('cpu_percent: 85', 'cpu_percent: "85%"'),
      10,
      'tiers.low_end.scaling_thresholds.cpu_percent',
      'cpu_percent must be a number above 0 and at most 100, got "85%"',
    ],
    [
      'an unknown category',
      valid.replace('[medium, small]', '[medium, huge]'),
      16,
      'tiers.mid_range.preferred_models[1]',
      'preferred_models[1] must be one of small, medium, large, got "huge"',
    ],
    [
      'a repeated category',
      valid.replace('[small]', '[small, small]'),
      7,
      'tiers.low_end.preferred_models',
      'preferred_models must not repeat a category, got ["small","small"]',
    ],
    [
      'a yes/no that is not a boolean',
      valid.replace('gpu_required: true', 'gpu_required: sometimes'),
      23,
      'tiers.high_end.gpu_required',
      'gpu_required must be true or false, got "sometimes"',
    ],
    [
      'a fractional core count',
      valid.replace('cpu_cores: { min: 2, max: null }', 'cpu_cores: { min: 2.5, max: null }'),
      4,
      'tiers.low_end.cpu_cores.min',
      'min must be a whole number of cores ≥ 1, got 2.5',
    ],
    ['a missing tier', valid.replace('  high_end:', '  ultra_end:'), 1, 'tiers.high_end', 'high_end is required'],
    [
      'an unknown tier',
      valid.replace('  high_end:', '  ultra_end:'),
      20,
      'tiers.ultra_end',
      'ultra_end is not a known field, got {"ram_gb":{"min":8,"max":null},"cpu_cores":{"min":2,"max":null},"gpu_required":…',
    ],
  ])('reports %s with file, line, path and value', (_what, text, line, path, message) => {
    expect(errorsOf(text)).toContainEqual({ file, line, path, message });
  });
});

describe('layerTiersYaml', () => {
  const defaults = { text: valid, file: 'shipped/resource_tiers.yaml' };
  const layer = (text: string) => layerTiersYaml(defaults, { text, file: 'user/resource_tiers.yaml' });

  it('changes one threshold and keeps every other field of that tier', () => {
    const { value, errors } = layer('tiers:\n  high_end:\n    scaling_thresholds:\n      memory_percent: 70\n');
    expect(errors).toEqual([]);
    expect(value.high_end.scalingThresholds).toEqual({ memoryPercent: 70, cpuPercent: 85 });
    expect(value.high_end.ramBytes.min).toBe(8 * bytesPerGib);
    expect(value.mid_range).toEqual(parseTiersYaml(valid, file).mid_range);
  });

  it('replaces lists whole', () => {
    const { value } = layer('tiers:\n  mid_range:\n    preferred_models: [small]\n');
    expect(value.mid_range.preferredCategories).toEqual(['small']);
  });

  it('checks the merged tier, reporting at the user line', () => {
    const { value, errors } = layer('tiers:\n  low_end:\n    ram_gb:\n      min: 6\n');
    expect(value).toEqual(parseTiersYaml(valid, file));
    expect(errors).toEqual([
      {
        file: 'user/resource_tiers.yaml',
        line: 3,
        path: 'tiers.low_end.ram_gb',
        message: 'ram_gb min must be ≤ max, got {"min":6,"max":4}',
      },
    ]);
  });

  it('falls back to the defaults on a user syntax error', () => {
    const { value, errors } = layer('tiers:\n  low_end: [\n');
    expect(value).toEqual(parseTiersYaml(valid, file));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'user/resource_tiers.yaml', path: '' });
  });
});

describe('deepMerge', () => {
  it('merges mappings key by key and lets anything else replace', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: null })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: null,
    });
    expect(deepMerge({ a: 1 }, [1])).toEqual([1]);
  });
});
