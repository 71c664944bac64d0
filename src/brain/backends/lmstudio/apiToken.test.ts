import { describe, expect, it } from 'vitest';
import { identityFromToken, redact } from './apiToken';

describe('LM Studio API tokens', () => {
  it('splits a token into the identifier and passkey the auth packet carries (what SDK 2.0 does)', () => {
    expect(identityFromToken('sk-lm-abcd1234:abcdefghij0123456789', 'LM_API_TOKEN')).toEqual({
      clientIdentifier: 'abcd1234',
      clientPasskey: 'abcdefghij0123456789',
      tokenSource: 'LM_API_TOKEN',
    });
  });

  it('refuses what is not a token, naming where it came from and never the value', () => {
    const error = (() => {
      try {
        identityFromToken('sk-lm-secret-but-wrong', 'LM_API_TOKEN');
      } catch (caught) {
        return caught as Error & { code: string };
      }
      return null;
    })();
    expect(error).toMatchObject({ code: 'refused', backend: 'lmstudio' });
    expect(error?.message).toContain('LM_API_TOKEN');
    expect(error?.message).not.toContain('secret-but-wrong');
  });

  it('takes secrets out of a text', () => {
    expect(redact('client x passkey abc123 refused', ['abc123', ''])).toBe('client x passkey … refused');
  });
});
