import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/runCli';
import { rendererContentSecurityPolicy, securityHeaders } from './securityHeaders';

/** The CSP Electron enforces: the meta tag of the renderer's page. */
function metaContentSecurityPolicy(): string | undefined {
  const html = readFileSync(path.join(repoRoot, 'src/renderer/index.html'), 'utf8');
  return /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
}

describe('the bridge CSP', () => {
  it('is the one Electron enforces, word for word, plus what only a header can carry', () => {
    expect(metaContentSecurityPolicy()).toBe(rendererContentSecurityPolicy);
    expect(securityHeaders['content-security-policy']).toBe(`${rendererContentSecurityPolicy}; frame-ancestors 'none'`);
  });
});
