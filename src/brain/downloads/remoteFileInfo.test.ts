import { describe, expect, it } from 'vitest';
import { fileInfoFromHeaders, normalizeEtag, remoteMismatch } from './remoteFileInfo';

const sha = '6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83';

describe('what a HEAD answer says about a file', () => {
  it.each([
    [`"${sha}"`, sha],
    [`W/"${sha}"`, sha],
    [sha, sha],
    ['""', null],
    [null, null],
  ])('normalizes the ETag %s', (etag, value) => expect(normalizeEtag(etag)).toBe(value));

  it("reads Hugging Face's X-Linked headers from a redirect, and only a sha256 from X-Linked-Etag", () => {
    const hf = new Headers({
      location: 'https://cas-bridge.xethub.hf.co/x',
      'x-linked-size': '807694464',
      'x-linked-etag': `"${sha.toUpperCase()}"`,
      etag: '"d0f8c2"',
    });
    expect(fileInfoFromHeaders(hf, 'https://hf.co/r', false)).toEqual({
      sizeBytes: 807_694_464,
      sha256: sha,
      answeredBy: 'https://hf.co/r',
    });
    // A redirect without them says nothing; a final answer gives its Content-Length, never its plain ETag as sha256.
    expect(fileInfoFromHeaders(new Headers({ location: '/elsewhere' }), 'u', false)).toBeNull();
    const plain = new Headers({ 'content-length': '1185376', etag: `"${sha}"` });
    expect(fileInfoFromHeaders(plain, 'u', true)).toEqual({ sizeBytes: 1_185_376, sha256: null, answeredBy: 'u' });
  });

  it('names both values and the entry when they disagree, and says nothing when either side is unknown', () => {
    const remote = { sizeBytes: 10, sha256: sha, answeredBy: 'https://x/m.gguf' };
    const other = 'a'.repeat(64);
    expect(remoteMismatch({ key: 'vendor/m', sizeBytes: 10, sha256: other }, remote)).toContain(
      `"vendor/m" is listed with sha256 ${other}, but https://x/m.gguf reports sha256 ${sha}`,
    );
    expect(remoteMismatch({ key: 'vendor/m', sizeBytes: 11, sha256: null }, remote)).toContain(
      '"vendor/m" is listed as 11 bytes, but https://x/m.gguf reports 10 bytes',
    );
    expect(remoteMismatch({ key: 'vendor/m', sizeBytes: 10, sha256: sha.toUpperCase() }, remote)).toBeNull();
    expect(remoteMismatch({ key: 'vendor/m', sizeBytes: null, sha256: null }, remote)).toBeNull();
    expect(remoteMismatch({ key: 'vendor/m', sizeBytes: 11, sha256: other }, null)).toBeNull();
  });
});
