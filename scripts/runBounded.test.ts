import { describe, expect, it } from 'vitest';
import { failureReason, runBounded } from './runBounded';

describe('failureReason', () => {
  it('keeps an error and drops its stack', () => {
    const stack =
      'TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n    at async FetchDownloader.download\n';
    expect(failureReason(stack)).toBe('TypeError: fetch failed');
  });

  it('keeps only the lines a builder marks as errors when it marks some', () => {
    const output = [
      '  • electron-builder  version=26.17.0',
      '  • downloading  url=https://example/electron.zip',
      '  ⨯ Get "https://example/electron.zip": dial tcp: lookup example: no such host',
    ].join('\n');
    expect(failureReason(output)).toBe('⨯ Get "https://example/electron.zip": dial tcp: lookup example: no such host');
  });

  it('drops the stack electron-builder appends to an error line, and repeats', () => {
    const output = [
      '  ⨯ failed to build AppImage  error=getaddrinfo ENOTFOUND github.com',
      '  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError: getaddrinfo ENOTFOUND github.com',
      '    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)',
      '  ⨯ getaddrinfo ENOTFOUND github.com',
    ].join('\n');
    expect(failureReason(output)).toBe(
      '⨯ failed to build AppImage error=getaddrinfo ENOTFOUND github.com ⨯ getaddrinfo ENOTFOUND github.com',
    );
  });

  it('says nothing for a command that printed nothing', () => {
    expect(failureReason('\n\n')).toBe('');
  });
});

describe('runBounded', () => {
  it('reports the exit of a command that printed nothing', async () => {
    expect(
      await runBounded({ command: process.execPath, args: ['-e', 'process.exit(3)'] }, { timeoutMs: 20_000 }),
    ).toEqual({ ok: false, reason: 'exited with 3' });
  });

  it('reports a command that cannot be started', async () => {
    const outcome = await runBounded({ command: 'mai-no-such-command', args: [] }, { timeoutMs: 20_000 });
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringContaining('could not be started') });
  });

  it('passes the command its extra environment', async () => {
    const script = 'process.exit(process.env.MAI_PROBE === "yes" ? 0 : 1)';
    const outcome = await runBounded(
      { command: process.execPath, args: ['-e', script], env: { MAI_PROBE: 'yes' } },
      { timeoutMs: 20_000 },
    );
    expect(outcome).toEqual({ ok: true });
  });
});
