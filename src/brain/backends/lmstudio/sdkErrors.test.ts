import { describe, expect, it } from 'vitest';
import { BackendError } from '../ModelBackend';
import { plainSdkMessage, toBackendError } from './sdkErrors';

/** An error shaped like the SDK's boxed one: the panel in `message`, the plain text non-enumerable beside it. */
function boxedError(plain: string): Error {
  const error = new Error('\n╭──── Error ────╮\n│ \u001b[91m' + plain + '\u001b[39m │\n╰───────────────╯');
  Object.defineProperty(error, 'lmstudioRawError', { value: plain, enumerable: false });
  return error;
}

describe('plainSdkMessage', () => {
  it('reads the raw text behind a boxed error and folds its labels', () => {
    const error = boxedError(
      ' \u001b[91m Out of memory \u001b[39m\n\n\n  (!) SUGGESTION  \n\nTry less\n\n\n  (X) CAUSE  \n\nbig',
    );
    expect(plainSdkMessage(error)).toBe('Out of memory Suggestion: Try less Cause: big');
  });

  it('prefers the title LM Studio attached, with its cause and suggestion', () => {
    const error = Object.assign(new Error('long rendering'), { title: 'Cannot find a model with path "x"' });
    expect(plainSdkMessage(error)).toBe('Cannot find a model with path "x"');
  });

  it('strips colour from plain errors too', () => {
    expect(plainSdkMessage(new Error('\u001b[31mred\u001b[39m  text'))).toBe('red text');
  });
});

describe('toBackendError', () => {
  it.each([
    [new Error('WebSocket connection closed'), 'disconnected'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'not_running'],
    [new Error('Failed to authenticate: Failed to validate client: Invalid client passkey'), 'refused'],
    [boxedError('Cannot find a model with identifier "x"'), 'not_found'],
    [boxedError('This model has already been unloaded'), 'not_found'],
    [boxedError('Something odd'), 'load_failed'],
  ] as const)('names %s as %s', (error, code) => {
    const named = toBackendError(error, 'load x', 'load_failed');
    expect(named).toBeInstanceOf(BackendError);
    expect(named).toMatchObject({ code, backend: 'lmstudio' });
    expect(named.cause).toBe(error);
  });

  it('keeps a BackendError as it is', () => {
    const error = new BackendError('timeout', 'slow', 'lmstudio');
    expect(toBackendError(error, 'x')).toBe(error);
  });
});
