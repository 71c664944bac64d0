/**
 * What a server says about a file before any of its bytes are fetched: one HEAD. Hugging Face answers a
 * `resolve/` URL of an LFS file with a redirect to its CDN that carries `X-Linked-Size` (the LFS object's size)
 * and `X-Linked-Etag` (its sha256, quoted like any ETag); the CDN's own answer has neither. So, like
 * huggingface_hub's get_hf_file_metadata, the first answer that carries them is read and its redirect is not
 * followed; other redirects (a renamed repository, a mirror) are followed, and a plain server's Content-Length
 * gives the size. The HEAD is advisory: a server that refuses or cannot answer it leaves the check to the GET.
 */
import { sha256HexPattern } from '../../shared/contract';

export interface RemoteFileInfo {
  /** The size the server reports, or null when it says none. */
  sizeBytes: number | null;
  /** The sha256 the server reports (Hugging Face's X-Linked-Etag), lower-case hex, or null. */
  sha256: string | null;
  /** The URL whose answer these figures came from. */
  answeredBy: string;
}

/** A redirect chain longer than this is a loop or a misconfigured mirror; HF itself uses one or two hops. */
const maxRedirects = 5;
/** A HEAD that takes longer is given up (the GET still runs); 15 s is far above a healthy round trip. */
const defaultTimeoutMs = 15_000;

/** An ETag's value without the weak marker and the quotes: `W/"abc"` → `abc`. Pure. */
export function normalizeEtag(etag: string | null): string | null {
  if (etag === null) return null;
  const value = etag
    .trim()
    .replace(/^W\//i, '')
    .replace(/^"(.*)"$/, '$1');
  return value === '' ? null : value;
}

/** The figures in one answer's headers; null when it has none of them. Pure. */
export function fileInfoFromHeaders(headers: Headers, url: string, final: boolean): RemoteFileInfo | null {
  const linkedSize = headers.get('x-linked-size');
  const linkedEtag = normalizeEtag(headers.get('x-linked-etag'))?.toLowerCase() ?? null;
  // Only an X-Linked-Etag is an LFS sha256; a plain ETag may be anything (a git blob id, an md5, a version).
  const sha256 = linkedEtag !== null && sha256HexPattern.test(linkedEtag) ? linkedEtag : null;
  const length = linkedSize ?? (final ? headers.get('content-length') : null);
  const sizeBytes = length !== null && /^\d+$/.test(length.trim()) ? Number(length) : null;
  if (linkedSize === null && sha256 === null && !final) return null;
  return { sizeBytes, sha256, answeredBy: url };
}

/** HEADs `url`; null when the server gave no usable answer (refused HEAD, failed, timed out). Never throws but for a cancel. */
export async function headRemoteFile(
  url: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<RemoteFileInfo | null> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = url;
  try {
    for (let hop = 0; hop <= maxRedirects; hop += 1) {
      const response = await fetch(current, {
        method: 'HEAD',
        redirect: 'manual',
        headers: { 'accept-encoding': 'identity' },
        signal,
      });
      const location = response.headers.get('location');
      const redirected = response.status >= 300 && response.status < 400 && location !== null;
      const info = fileInfoFromHeaders(response.headers, current, !redirected);
      if (redirected) {
        if (info) return info;
        current = new URL(location, current).href;
        continue;
      }
      return response.ok ? info : null;
    }
    return null;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return null;
  }
}

/** What the pull expects of the file: a models.yaml entry's (or --sha256's) figures, null where none is known. */
export interface ExpectedFile {
  key: string;
  sizeBytes: number | null;
  sha256: string | null;
}

/** Why the server's file is not the expected one, naming both values and the entry; null when nothing disagrees. */
export function remoteMismatch(expected: ExpectedFile, remote: RemoteFileInfo | null): string | null {
  if (!remote) return null;
  const where = `${remote.answeredBy} reports`;
  if (expected.sha256 !== null && remote.sha256 !== null && remote.sha256 !== expected.sha256.toLowerCase()) {
    return (
      `"${expected.key}" is listed with sha256 ${expected.sha256.toLowerCase()}, but ${where} sha256 ${remote.sha256}: ` +
      'not the listed file (a new upload, or another revision?); nothing was downloaded'
    );
  }
  if (expected.sizeBytes !== null && remote.sizeBytes !== null && remote.sizeBytes !== expected.sizeBytes) {
    return (
      `"${expected.key}" is listed as ${expected.sizeBytes} bytes, but ${where} ${remote.sizeBytes} bytes: ` +
      'not the listed file; nothing was downloaded'
    );
  }
  return null;
}
