import { describe, expect, it } from 'vitest';
import { parseRequest, parseResponse } from './contract';

describe('parseRequest', () => {
  it('accepts a known request with a valid payload', () => {
    expect(parseRequest('status.get', {})).toEqual({ ok: true, value: { name: 'status.get', payload: {} } });
    expect(parseRequest('resources.history', { windowMs: 60_000 })).toEqual({
      ok: true,
      value: { name: 'resources.history', payload: { windowMs: 60_000 } },
    });
  });

  it('names an unknown request and lists the known ones', () => {
    const result = parseRequest('status.delete', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unknown_request');
    expect(result.error.message).toContain('"status.delete"');
    expect(result.error.message).toContain('status.get');
  });

  it('refuses prototype keys as request names', () => {
    expect(parseRequest('toString', {}).ok).toBe(false);
    expect(parseRequest('__proto__', {}).ok).toBe(false);
  });

  it('names the field that is wrong in a payload', () => {
    const result = parseRequest('resources.history', { windowMs: 'soon' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad_request');
    expect(result.error.message).toContain('windowMs');
  });

  it('refuses unexpected fields rather than ignoring them', () => {
    const result = parseRequest('status.get', { verbose: true });
    expect(result.ok).toBe(false);
  });
});

describe('parseResponse', () => {
  it('turns an off-contract value into an internal error instead of passing it on', () => {
    const result = parseResponse('resources.history', { samples: [{ atMs: 'yesterday' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
