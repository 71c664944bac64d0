import { describe, expect, it } from 'vitest';
import { isConversationId, isMessageId, newConversationId, newMessageId, randomSuffix } from './ids';

const at = Date.UTC(2026, 10, 22, 4, 20, 0, 999);

describe('ids', () => {
  it('makes conversation ids that name the UTC second and sort by time', () => {
    expect(newConversationId(at, 'ab12cd')).toBe('2026-11-22T04-20-00Z-ab12cd');
    const ids = [at + 3_600_000, at, at + 1_000].map((ms) => newConversationId(ms));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
    expect(ids.every(isConversationId)).toBe(true);
    expect(() => newConversationId(at, '../x')).toThrow();
  });

  it('draws a different random part each time', () => {
    const suffixes = new Set(Array.from({ length: 200 }, () => randomSuffix()));
    expect(suffixes.size).toBe(200);
    for (const suffix of suffixes) expect(suffix).toMatch(/^[0-9a-z]{6}$/);
  });

  it.each([
    ['2026-11-22T04-20-00Z-ab12cd', true],
    ['2026-11-22T04-20-00Z-ab12c', false],
    ['2026-11-22T04:20:00Z-ab12cd', false],
    ['../2026-11-22T04-20-00Z-ab12cd', false],
    ['2026-11-22T04-20-00Z-ab12cd.jsonl', false],
    ['2026-11-22T04-20-00Z-ab12cd\n', false],
    [42, false],
  ])('isConversationId(%j) is %s', (value, expected) => {
    expect(isConversationId(value)).toBe(expected);
  });

  it('makes message ids that sort by time within a conversation, and checks outside ones', () => {
    const early = newMessageId(at);
    const late = newMessageId(at + 1);
    expect(early).toMatch(/^m-[0-9a-z]{9}-[0-9a-z]{6}$/);
    expect(early < late).toBe(true);
    expect(isMessageId(early)).toBe(true);
    expect(isMessageId('u1')).toBe(true);
    for (const bad of ['', '-x', '../x', 'a b', 'x'.repeat(65), null]) expect(isMessageId(bad)).toBe(false);
  });
});
