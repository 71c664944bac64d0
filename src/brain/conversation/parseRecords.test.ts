import { describe, expect, it } from 'vitest';
import { parseRecords } from './parseRecords';

const created = '{"type":"created","id":"2026-11-22T04-20-00Z-ab12cd","atMs":1}';
const message = '{"type":"message","id":"m-1","role":"user","content":"hi","atMs":2}';

describe('parseRecords', () => {
  it('reads every line of a healthy file', () => {
    const { records, issues } = parseRecords(`${created}\n${message}\n`);
    expect(records.map((record) => record.type)).toEqual(['created', 'message']);
    expect(issues).toEqual([]);
  });

  it.each([
    ['an empty file', '', 0, []],
    ['blank lines', `\n${created}\n\n`, 1, []],
    ['a torn last line', `${created}\n{"type":"mess`, 1, [{ line: 2, kind: 'torn' }]],
    ['a torn multi-byte character', `${created}\n{"type":"message","content":"\uFFFD`, 1, [{ line: 2, kind: 'torn' }]],
    ['a closed torn line in the middle', `{"type":"mess\n${message}\n`, 1, [{ line: 1, kind: 'invalid-json' }]],
    [
      'a record from a newer Mai',
      `{"type":"reaction","atMs":3}\n${message}\n`,
      1,
      [{ line: 1, kind: 'invalid-record' }],
    ],
    [
      'a message with a path for an id',
      message.replace('m-1', '../x') + '\n',
      0,
      [{ line: 1, kind: 'invalid-record' }],
    ],
    ['JSON that is not an object', 'null\n[1]\n"x"\n', 0, [1, 2, 3].map((line) => ({ line, kind: 'invalid-record' }))],
    ['binary garbage', '\u0000\u0001\uFFFD\n', 0, [{ line: 1, kind: 'invalid-json' }]],
  ])('never throws on %s', (_, text, recordCount, issues) => {
    const result = parseRecords(text);
    expect(result.records).toHaveLength(recordCount);
    expect(result.issues).toMatchObject(issues);
  });

  it('quotes only the start of a long bad line', () => {
    const [issue] = parseRecords(`{"content":"${'x'.repeat(10_000)}`).issues;
    expect(issue?.detail.length).toBeLessThan(120);
    expect(issue?.detail).toContain('10012 characters');
  });
});
