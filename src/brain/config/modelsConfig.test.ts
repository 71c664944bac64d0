import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigErrorInfo } from './ConfigError';
import { layerModelsYaml, parseModelsYaml } from './modelsConfig';
import { bytesPerGib } from './units';

const file = 'models.yaml';

/** A valid two-model file; line numbers matter to the tests below. */
const valid = [
  'models:', // 1
  '  - key: vendor/tiny', // 2
  '    display_name: Tiny', // 3
  '    category: small', // 4
  '    min_memory_gb: 1.5', // 5
  '    min_vram_gb: 1', // 6
  '    context_window: 8192', // 7
  '    capabilities: [chat]', // 8
  '  - key: vendor/big', // 9
  '    display_name: Big', // 10
  '    category: large', // 11
  '    min_memory_gb: 20', // 12
  '    min_vram_gb: 18', // 13
  '    context_window: 131072', // 14
  '    capabilities: [chat, code, tools]', // 15
  '    fallback: [vendor/tiny]', // 16
  'fallback_chains:', // 17
  '  chat: [vendor/big, vendor/tiny]', // 18
  '',
].join('\n');

/** `valid` with line `line` (1-based) replaced. */
function withLine(line: number, replacement: string): string {
  const lines = valid.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

function errorsOf(text: string): readonly ConfigErrorInfo[] {
  try {
    parseModelsYaml(text, file);
  } catch (error) {
    if (error instanceof ConfigError) return error.errors;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseModelsYaml', () => {
  it('turns the file into camelCase entries with bytes and tokens', () => {
    const config = parseModelsYaml(valid, file);
    expect(config.models[1]).toEqual({
      key: 'vendor/big',
      displayName: 'Big',
      category: 'large',
      minMemoryBytes: 20 * bytesPerGib,
      minVramBytes: 18 * bytesPerGib,
      contextWindowTokens: 131072,
      capabilities: ['chat', 'code', 'tools'],
      fallback: ['vendor/tiny'],
      download: null,
    });
    expect(config.models[0]?.minMemoryBytes).toBe(1.5 * bytesPerGib);
    expect(config.models[0]?.fallback).toEqual([]);
    expect(config.fallbackChains).toEqual({ chat: ['vendor/big', 'vendor/tiny'] });
  });

  it('reads a download with its published size and checksum', () => {
    const sha = 'AB'.repeat(32);
    const text = withLine(
      8,
      `    capabilities: [chat]\n    download: { uri: hf:o/r/m.gguf, size_bytes: 807694464, sha256: ${sha} }`,
    );
    expect(parseModelsYaml(text, file).models[0]?.download).toEqual({
      uri: 'hf:o/r/m.gguf',
      sizeBytes: 807694464,
      sha256: sha.toLowerCase(),
    });
  });

  it.each([
    [
      'a checksum that is not 64 hex digits',
      '{ uri: hf:o/r/m.gguf, size_bytes: 5, sha256: abc }',
      'models[0].download.sha256',
      'sha256 must be 64 hexadecimal digits (a SHA-256), got "abc"',
    ],
    [
      'a URI Mai cannot fetch',
      '{ uri: "ftp://x/m.gguf", size_bytes: 5, sha256: ' + 'a'.repeat(64) + ' }',
      'models[0].download.uri',
      'uri must be hf:<owner>/<repo>/<file>.gguf or an http(s) URL, got "ftp://x/m.gguf"',
    ],
    [
      'a size of zero',
      '{ uri: hf:o/r/m.gguf, size_bytes: 0, sha256: ' + 'a'.repeat(64) + ' }',
      'models[0].download.size_bytes',
      'size_bytes must be a whole number of bytes ≥ 1, got 0',
    ],
    ['a missing checksum', '{ uri: hf:o/r/m.gguf, size_bytes: 5 }', 'models[0].download.sha256', 'sha256 is required'],
  ])('names %s in a download, with its line', (_, download, path, message) => {
    const errors = errorsOf(withLine(8, `    capabilities: [chat]\n    download: ${download}`));
    expect(errors).toEqual([expect.objectContaining({ file, line: 9, path, message })]);
  });

  it.each([
    [
      'a wrong type',
      withLine(5, '    min_memory_gb: lots'),
      5,
      'models[0].min_memory_gb',
      'min_memory_gb must be a number ≥ 0, got "lots"',
    ],
    [
      'a negative size',
      withLine(13, '    min_vram_gb: -2'),
      13,
      'models[1].min_vram_gb',
      'min_vram_gb must be a number ≥ 0, got -2',
    ],
    [
      'an unknown category',
      withLine(11, '    category: huge'),
      11,
      'models[1].category',
      'category must be one of small, medium, large, got "huge"',
    ],
    [
      'an unknown capability',
      withLine(8, '    capabilities: [chat, telepathy]'),
      8,
      'models[0].capabilities[1]',
      'capabilities[1] must be one of chat, reasoning, analysis, code, vision, tools, got "telepathy"',
    ],
    [
      'a fractional context',
      withLine(7, '    context_window: 8192.5'),
      7,
      'models[0].context_window',
      'context_window must be a whole number of tokens ≥ 1, got 8192.5',
    ],
    [
      'a missing required field',
      withLine(10, '    # no display name'),
      9,
      'models[1].display_name',
      'display_name is required',
    ],
    [
      'a fallback naming no model',
      withLine(16, '    fallback: [vendor/tiny, vendor/gone]'),
      16,
      'models[1].fallback[1]',
      'fallback[1] must name a model listed under models, got "vendor/gone"',
    ],
    [
      'a model falling back to itself',
      withLine(16, '    fallback: [vendor/big]'),
      16,
      'models[1].fallback[0]',
      'fallback[0] must name another model, got "vendor/big"',
    ],
    [
      'a chain naming no model',
      withLine(18, '  chat: [vendor/nope]'),
      18,
      'fallback_chains.chat[0]',
      'chat[0] must name a model listed under models, got "vendor/nope"',
    ],
    [
      'a repeated key',
      withLine(9, '  - key: vendor/tiny'),
      9,
      'models[1].key',
      'key must be unique (models[0] has it too), got "vendor/tiny"',
    ],
    [
      'an unknown field',
      withLine(6, '    min_vram: 1'),
      6,
      'models[0].min_vram',
      'min_vram is not a known field, got 1',
    ],
  ])('reports %s with file, line, path and value', (_what, text, line, path, message) => {
    expect(errorsOf(text)).toContainEqual({ file, line, path, message });
  });

  it('reports a YAML syntax error with the line from the parser', () => {
    const errors = errorsOf(withLine(8, '    capabilities: [chat'));
    expect(errors[0]).toMatchObject({ file, path: '', message: expect.stringMatching(/^invalid YAML: /) });
    expect(errors[0]?.line).toBeGreaterThanOrEqual(8);
  });

  it('reports every problem in the file at once', () => {
    const text = withLine(5, '    min_memory_gb: lots').replace('category: large', 'category: huge');
    expect(errorsOf(text).map((error) => error.path)).toEqual(['models[0].min_memory_gb', 'models[1].category']);
  });

  it('rejects a file that is not a mapping', () => {
    expect(errorsOf('- just\n- a list\n')).toEqual([
      {
        file,
        line: 1,
        path: '',
        message: 'the file must be a mapping with models: and fallback_chains:, got ["just","a list"]',
      },
    ]);
  });
});

describe('layerModelsYaml', () => {
  const defaults = { text: valid, file: 'shipped/models.yaml' };
  const layer = (text: string) => layerModelsYaml(defaults, { text, file: 'user/models.yaml' });

  it('replaces only the fields a user entry gives for a shipped key', () => {
    const { value, errors } = layer('models:\n  - key: vendor/big\n    min_vram_gb: 16\n');
    expect(errors).toEqual([]);
    expect(value.models).toHaveLength(2);
    expect(value.models[1]).toMatchObject({ key: 'vendor/big', displayName: 'Big', minVramBytes: 16 * bytesPerGib });
    expect(value.models[1]?.fallback).toEqual(['vendor/tiny']);
  });

  it('appends a model with a new key, which may fall back to shipped ones', () => {
    const { value, errors } = layer(
      [
        'models:',
        '  - key: me/custom',
        '    display_name: Custom',
        '    category: medium',
        '    min_memory_gb: 6',
        '    min_vram_gb: 6',
        '    context_window: 32768',
        '    capabilities: [chat, vision]',
        '    fallback: [vendor/tiny]',
        'fallback_chains:',
        '  vision: [me/custom]',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(value.models.map((model) => model.key)).toEqual(['vendor/tiny', 'vendor/big', 'me/custom']);
    expect(value.fallbackChains).toEqual({ chat: ['vendor/big', 'vendor/tiny'], vision: ['me/custom'] });
  });

  it('lets a shipped model fall back to a model the user adds', () => {
    const user = [
      'models:',
      '  - key: vendor/big',
      '    fallback: [me/mini]',
      '  - key: me/mini',
      '    display_name: Mini',
      '    category: small',
      '    min_memory_gb: 1',
      '    min_vram_gb: 1',
      '    context_window: 4096',
      '    capabilities: [chat]',
    ].join('\n');
    expect(layer(user).value.models[1]?.fallback).toEqual(['me/mini']);
  });

  it('falls back to the defaults and names the user file when an override is broken', () => {
    const { value, errors } = layer('models:\n  - key: vendor/tiny\n  - key: vendor/big\n    min_memory_gb: lots\n');
    expect(value).toEqual(parseModelsYaml(valid, 'shipped/models.yaml'));
    expect(errors).toEqual([
      {
        file: 'user/models.yaml',
        line: 4,
        path: 'models[1].min_memory_gb',
        message: 'min_memory_gb must be a number ≥ 0, got "lots"',
      },
    ]);
  });

  it('names the user entry when a new model lacks a required field', () => {
    const { errors } = layer(
      'models:\n  - key: vendor/big\n    min_vram_gb: 16\n  - key: me/half\n    category: small\n',
    );
    expect(errors).toContainEqual({
      file: 'user/models.yaml',
      line: 4,
      path: 'models[1].display_name',
      message: 'display_name is required',
    });
  });

  it('reports a user fallback naming no model at its line', () => {
    const { errors } = layer('models:\n  - key: vendor/tiny\n    fallback: [vendor/huge]\n');
    expect(errors).toEqual([
      {
        file: 'user/models.yaml',
        line: 3,
        path: 'models[0].fallback[0]',
        message: 'fallback[0] must name a model listed under models, got "vendor/huge"',
      },
    ]);
  });

  it('treats an empty user file or an empty models: as no override', () => {
    const shipped = parseModelsYaml(valid, 'shipped/models.yaml');
    expect(layer('# nothing yet\n')).toEqual({ value: shipped, errors: [] });
    expect(layer('models:\nfallback_chains:\n')).toEqual({ value: shipped, errors: [] });
  });

  it('throws for broken shipped defaults: that is a bug in Mai, not a user mistake', () => {
    const broken = { text: withLine(4, '    category: tiny'), file: 'shipped/models.yaml' };
    expect(() => layerModelsYaml(broken, null)).toThrow(ConfigError);
    expect(() => layerModelsYaml(broken, null)).toThrow(/shipped\/models\.yaml:4 models\[0\]\.category/);
  });
});
