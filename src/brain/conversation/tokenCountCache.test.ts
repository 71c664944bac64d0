import { describe, expect, it } from 'vitest';
import { TokenCountCache } from './tokenCountCache';

describe('TokenCountCache', () => {
  it('keeps counts per model and message, and recounts a reused id with other text', () => {
    const cache = new TokenCountCache();
    const small = cache.forModel('small');
    small.set('m1', 'hello there', 3);
    expect(small.get('m1', 'hello there')).toBe(3);
    expect(cache.forModel('large').get('m1', 'hello there')).toBeUndefined();
    expect(small.get('m1', 'something else')).toBeUndefined();
  });

  it('forgets the least recently used beyond its size', () => {
    const cache = new TokenCountCache(2);
    const model = cache.forModel('m');
    model.set('a', 'a', 1);
    model.set('b', 'b', 1);
    model.get('a', 'a');
    model.set('c', 'c', 1);
    expect(cache.size).toBe(2);
    expect(model.get('b', 'b')).toBeUndefined();
    expect(model.get('a', 'a')).toBe(1);
  });
});
