import { describe, expect, it } from 'vitest';
import { hostProblem } from './hostCheck';

describe('hostProblem', () => {
  it('allows the host given to --host, besides the loopback names', () => {
    expect(hostProblem('mybox.lan:8600', 'mybox.lan', 8600)).toBeNull();
    expect(hostProblem('localhost:8600', 'mybox.lan', 8600)).toBeNull();
    expect(hostProblem('otherbox.lan:8600', 'mybox.lan', 8600)).toContain('Host "otherbox.lan:8600" is not this');
  });

  it('allows any address, but no other name, on a server bound to every interface', () => {
    for (const bound of ['0.0.0.0', '::']) {
      expect(hostProblem('192.168.1.20:8600', bound, 8600)).toBeNull();
      expect(hostProblem('[fe80::1]:8600', bound, 8600)).toBeNull();
      expect(hostProblem('evil.example:8600', bound, 8600)).not.toBeNull();
    }
    expect(hostProblem('192.168.1.20:8600', '127.0.0.1', 8600)).not.toBeNull();
  });

  it('takes a Host without a port only on port 80, where browsers leave it out', () => {
    expect(hostProblem('localhost', '127.0.0.1', 80)).toBeNull();
    expect(hostProblem('localhost', '127.0.0.1', 8600)).not.toBeNull();
  });

  it('refuses what is not a host at all', () => {
    for (const header of ['localhost:8600@evil.example', 'localhost:86000', '[::1', 'a b:8600', '']) {
      expect(hostProblem(header, '127.0.0.1', 8600)).not.toBeNull();
    }
  });
});
