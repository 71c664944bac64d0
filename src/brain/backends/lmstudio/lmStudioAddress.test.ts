import { describe, expect, it } from 'vitest';
import { candidateAddresses, lmStudioSdkPorts, parseLmStudioUrl } from './lmStudioAddress';

describe('parseLmStudioUrl', () => {
  it.each([
    ['ws://127.0.0.1:1234', 'ws://127.0.0.1:1234', 'http://127.0.0.1:1234/lmstudio-greeting'],
    ['ws://127.0.0.1:1234/', 'ws://127.0.0.1:1234', 'http://127.0.0.1:1234/lmstudio-greeting'],
    ['wss://box.lan:8443/lms/', 'wss://box.lan:8443/lms', 'https://box.lan:8443/lms/lmstudio-greeting'],
    [' ws://[::1]:1234 ', 'ws://[::1]:1234', 'http://[::1]:1234/lmstudio-greeting'],
  ])('accepts %s', (raw, baseUrl, greetingUrl) => {
    expect(parseLmStudioUrl(raw)).toEqual({ baseUrl, greetingUrl });
  });

  it.each([
    ['http://127.0.0.1:1234', 'ws:// or wss://'],
    ['ws://127.0.0.1:1234?x=1', 'query string'],
    ['ws://127.0.0.1:1234#top', '#fragment'],
    ['ws://me:pw@127.0.0.1:1234', 'user name or password'],
    ['127.0.0.1:1234', 'ws:// or wss://'],
    ['ws://bad host:1', 'not a URL'],
  ])('refuses %s, saying why', (raw, why) => {
    expect(() => parseLmStudioUrl(raw)).toThrow(why);
    expect(() => parseLmStudioUrl(raw)).toThrow(`MAI_LMSTUDIO_URL=${raw} is not a usable LM Studio address`);
  });
});

describe('candidateAddresses', () => {
  it('looks only where the person said when a URL is set', () => {
    expect(candidateAddresses('ws://10.0.0.2:9999').map((a) => a.baseUrl)).toEqual(['ws://10.0.0.2:9999']);
  });

  it('otherwise tries the default port 1234, then the SDK ports, on 127.0.0.1', () => {
    expect(candidateAddresses(undefined).map((a) => a.baseUrl)).toEqual(
      [1234, ...lmStudioSdkPorts].map((port) => `ws://127.0.0.1:${port}`),
    );
    expect(candidateAddresses('', [5, 5, 6]).map((a) => a.baseUrl)).toEqual(['ws://127.0.0.1:5', 'ws://127.0.0.1:6']);
  });
});
