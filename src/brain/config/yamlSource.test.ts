import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigError } from './ConfigError';
import { readYamlSource } from './yamlSource';

const text = [
  'models:', // 1
  '  - key: a', // 2
  '    fallback: [b, c]', // 3
  '  - key: d', // 4
  '    nested:', // 5
  '      deep: 1', // 6
  'chains:', // 7
  '  "odd name": [x]', // 8
].join('\n');

function syntaxErrors(yaml: string) {
  try {
    readYamlSource({ text: yaml, file: 'f.yaml' });
  } catch (error) {
    if (error instanceof ConfigError) return error.errors;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readYamlSource', () => {
  const source = readYamlSource({ text, file: 'f.yaml' });

  it('gives the plain data', () => {
    expect(source.data).toEqual({
      models: [
        { key: 'a', fallback: ['b', 'c'] },
        { key: 'd', nested: { deep: 1 } },
      ],
      chains: { 'odd name': ['x'] },
    });
  });

  it.each([
    [['models'], 1],
    [['models', 0], 2],
    [['models', 0, 'fallback', 1], 3],
    [['models', 1], 4],
    [['models', 1, 'nested'], 5],
    [['models', 1, 'nested', 'deep'], 6],
    [['chains', 'odd name', 0], 8],
    // Paths that leave the file land on the nearest node that exists.
    [['models', 1, 'display_name'], 4],
    [['models', 7], 1],
    [['nowhere'], 1],
  ])('finds the line of %j: %i', (path, line) => {
    expect(source.lineOf(path)).toBe(line);
  });

  it('has no line for an empty file', () => {
    const empty = readYamlSource({ text: '# only a comment\n', file: 'e.yaml' });
    expect(empty.data).toBeNull();
    expect(empty.lineOf(['models'])).toBeNull();
  });

  it('reports a syntax error with the parser line and without the excerpt', () => {
    const errors = syntaxErrors('a: 1\nb: [1, 2\nc: 3\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'f.yaml', path: '' });
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
    expect(errors[0]?.message).toMatch(/^invalid YAML: /);
    expect(errors[0]?.message).not.toContain('\n');
  });

  it('reports a duplicate key on the line of the repeat', () => {
    const errors = syntaxErrors('a: 1\nb: 2\na: 3\n');
    expect(errors[0]).toMatchObject({ line: 3, message: expect.stringContaining('unique') });
  });

  it('formats an error as file:line path: message', () => {
    const info = { file: 'm.yaml', line: 3, path: 'models[0].key', message: 'key is required' };
    expect(formatConfigError(info)).toBe('m.yaml:3 models[0].key: key is required');
    expect(formatConfigError({ ...info, line: null, path: '' })).toBe('m.yaml: key is required');
  });
});
