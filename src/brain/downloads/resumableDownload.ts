import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { PullError } from './PullError';

/**
 * One file fetched over HTTP into a partial file that survives interruptions: a later call continues from the bytes
 * already on disk with a Range request (guarded by If-Range, so a file changed on the server starts afresh), and the
 * SHA-256 covers every byte, old and new.
 *
 * Why not node-llama-cpp's `createModelDownloader` (ipull 3.9.5 underneath), which the issue suggested: measured here
 * against a Range-capable 127.0.0.1 server, a download cancelled midway restarted from byte 0 on the next run and
 * ended with a file that differed from the source; its resume unit is a 5 MiB chunk that cannot be set through the
 * downloader; and it retries a failing host 150 times, with no option to bound it, so an unreachable host hangs
 * for minutes instead of failing with the URL named. What is left here is one GET with a Range header.
 */

export interface TransferProgress {
  /** Bytes of the file on disk, resumed ones included. */
  receivedBytes: number;
  /** The file's size, once the server said it (or the caller knew it). */
  totalBytes: number | null;
}

export interface ResumableDownloadRequest {
  url: string;
  /** Where the bytes collect; kept on cancel and on failure so the next call resumes. */
  partialPath: string;
  /** The size the caller expects (a catalog figure); used before the server answers. */
  expectedSizeBytes?: number | null;
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Called once the size is known and before the body is read, with the bytes still to come; may throw to stop. */
  beforeBody?: (remainingBytes: number, totalBytes: number | null) => Promise<void> | void;
  /** A connection lost midway is retried this many times, each continuing where it stopped. */
  retries?: number;
  /** First pause before a retry; doubles each time. */
  retryDelayMs?: number;
  /** No byte for this long (or no answer) counts as a lost connection. */
  stallTimeoutMs?: number;
}

export interface ResumableDownloadResult {
  sizeBytes: number;
  sha256: string;
  /** Bytes that were already on disk when this call started. */
  resumedFromBytes: number;
}

/** What the server said about the file, kept beside the partial so a resume can ask "only if unchanged". */
interface PartialMeta {
  url: string;
  validator: string | null;
  totalBytes: number | null;
}

const metaSuffix = '.json';

export function partialMetaPath(partialPath: string): string {
  return partialPath + metaSuffix;
}

async function readMeta(partialPath: string): Promise<PartialMeta | null> {
  try {
    const value: unknown = JSON.parse(await readFile(partialMetaPath(partialPath), 'utf8'));
    if (typeof value === 'object' && value !== null && 'url' in value && typeof value.url === 'string') {
      return value as PartialMeta;
    }
  } catch {
    // No record or an unreadable one: resume without a validator, the Range answer still says where it starts.
  }
  return null;
}

async function fileSize(filePath: string): Promise<number> {
  return stat(filePath).then(
    (s) => s.size,
    () => 0,
  );
}

async function hashExisting(filePath: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (bytes === 0) return hash;
  for await (const chunk of createReadStream(filePath, { start: 0, end: bytes - 1 })) hash.update(chunk as Buffer);
  return hash;
}

/** Node's fetch hides the reason in `cause`: ECONNREFUSED, ENOTFOUND, a reset... */
export function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : null;
  const known: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (nothing listens there)',
    ENOTFOUND: 'the host name does not resolve (no network, or a wrong host)',
    EAI_AGAIN: 'the host name could not be resolved (no network?)',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    UND_ERR_SOCKET: 'the connection was closed midway',
  };
  if (code && known[code]) return known[code];
  const message = cause instanceof Error ? cause.message : String(cause);
  return code ? `${message} (${code})` : message;
}

function totalFromContentRange(header: string | null): number | null {
  const match = header ? /\/(\d+)\s*$/.exec(header) : null;
  return match?.[1] ? Number(match[1]) : null;
}

function startFromContentRange(header: string | null): number | null {
  const match = header ? /^bytes\s+(\d+)-/i.exec(header) : null;
  return match?.[1] ? Number(match[1]) : null;
}

function httpProblem(url: string, response: Response): PullError {
  const hints: Record<number, string> = {
    401: ' (the file needs a sign-in: a gated model?)',
    403: ' (access refused: a gated model, or a server that does not serve it)',
    404: ' (no such file: check the URI)',
    429: ' (too many requests: try again later)',
  };
  const hint = hints[response.status] ?? (response.status >= 500 ? ' (the server failed: try again later)' : '');
  return new PullError('http', `${url} answered ${response.status} ${response.statusText}${hint}`);
}

/** A lost connection, to retry; anything else (cancel, HTTP status, disk) stops at once. */
class ConnectionLost extends Error {}

export async function resumableDownload(request: ResumableDownloadRequest): Promise<ResumableDownloadResult> {
  const { url, partialPath, signal } = request;
  const retries = request.retries ?? 3;
  const retryDelayMs = request.retryDelayMs ?? 500;
  const stallTimeoutMs = request.stallTimeoutMs ?? 30_000;
  const startBytes = await fileSize(partialPath);
  let lastError: unknown = null;

  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
    }
    if (signal?.aborted) break;
    try {
      const result = await fetchOnce(request, stallTimeoutMs);
      return { ...result, resumedFromBytes: startBytes };
    } catch (error) {
      if (!(error instanceof ConnectionLost)) throw error;
      lastError = error.cause;
    }
  }
  if (signal?.aborted) throw await cancelled(partialPath, request.expectedSizeBytes ?? null);
  const have = await fileSize(partialPath);
  throw new PullError(
    'network',
    `could not download ${url}: ${describeNetworkError(lastError)}` +
      (have > 0 ? `; ${have} bytes are kept, run the pull again to resume` : ''),
  );
}

async function cancelled(partialPath: string, totalBytes: number | null): Promise<PullError> {
  const have = await fileSize(partialPath);
  const of = totalBytes ? ` of ${totalBytes}` : '';
  return new PullError('cancelled', `download cancelled; ${have}${of} bytes are kept, pull again to resume`);
}

async function fetchOnce(
  request: ResumableDownloadRequest,
  stallTimeoutMs: number,
): Promise<{ sizeBytes: number; sha256: string }> {
  const { url, partialPath, signal } = request;
  const meta = await readMeta(partialPath);
  let haveBytes = await fileSize(partialPath);
  if (haveBytes > 0 && meta && meta.url !== url) {
    // The partial belongs to another URL: its bytes say nothing about this file.
    await truncate(partialPath, 0);
    haveBytes = 0;
  }

  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stalled = true;
      controller.abort(new Error(`no data for ${stallTimeoutMs} ms`));
    }, stallTimeoutMs);
  };

  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (haveBytes > 0) {
    headers.range = `bytes=${haveBytes}-`;
    if (meta?.validator) headers['if-range'] = meta.validator;
  }

  try {
    armStallTimer();
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      if (signal?.aborted) throw await cancelled(partialPath, meta?.totalBytes ?? request.expectedSizeBytes ?? null);
      throw new ConnectionLost('fetch failed', {
        cause: stalled ? new Error(`no answer for ${stallTimeoutMs} ms`) : error,
      });
    }

    let totalBytes: number | null;
    if (response.status === 416 && haveBytes > 0) {
      // Nothing after what we have: complete if the server's size matches, else start over next attempt.
      await response.body?.cancel();
      totalBytes = totalFromContentRange(response.headers.get('content-range')) ?? meta?.totalBytes ?? null;
      if (totalBytes === haveBytes) {
        const hash = await hashExisting(partialPath, haveBytes);
        return { sizeBytes: haveBytes, sha256: hash.digest('hex') };
      }
      await truncate(partialPath, 0);
      throw new ConnectionLost('range not satisfiable', {
        cause: new Error('the partial file did not match the server'),
      });
    }
    if (!response.ok || !response.body) throw httpProblem(url, response);

    if (response.status === 206 && startFromContentRange(response.headers.get('content-range')) === haveBytes) {
      totalBytes = totalFromContentRange(response.headers.get('content-range'));
    } else {
      // A full answer (no Range support, or the file changed, so If-Range failed): start from the first byte.
      if (haveBytes > 0) await truncate(partialPath, 0);
      haveBytes = 0;
      const length = response.headers.get('content-length');
      totalBytes = length === null ? null : Number(length);
    }
    totalBytes ??= request.expectedSizeBytes ?? null;
    const validator = response.headers.get('etag') ?? response.headers.get('last-modified');
    await writeFile(partialMetaPath(partialPath), JSON.stringify({ url, validator, totalBytes } satisfies PartialMeta));
    await request.beforeBody?.(totalBytes === null ? 0 : totalBytes - haveBytes, totalBytes);

    const hash = await hashExisting(partialPath, haveBytes);
    const out = createWriteStream(partialPath, { flags: haveBytes > 0 ? 'r+' : 'w', start: haveBytes });
    // A failing disk (full, removed) is reported as itself, never as a lost connection to retry.
    let writeError: NodeJS.ErrnoException | null = null;
    out.on('error', (error) => {
      writeError = error;
    });
    let receivedBytes = haveBytes;
    request.onProgress?.({ receivedBytes, totalBytes });
    try {
      for await (const chunk of response.body) {
        if (writeError) break;
        armStallTimer();
        hash.update(chunk);
        receivedBytes += chunk.byteLength;
        if (!out.write(chunk)) await once(out, 'drain');
        request.onProgress?.({ receivedBytes, totalBytes });
      }
    } catch (error) {
      if (writeError) {
        await closeStream(out).catch(() => undefined);
        throw diskProblem(partialPath, writeError);
      }
      if (signal?.aborted) {
        await closeStream(out);
        throw await cancelled(partialPath, totalBytes);
      }
      await closeStream(out);
      throw new ConnectionLost('body failed', {
        cause: stalled ? new Error(`no data for ${stallTimeoutMs} ms`) : error,
      });
    }
    await closeStream(out).catch(() => undefined);
    if (writeError) throw diskProblem(partialPath, writeError);
    if (totalBytes !== null && receivedBytes < totalBytes) {
      throw new ConnectionLost('short body', {
        cause: new Error(`the connection closed after ${receivedBytes} of ${totalBytes} bytes`),
      });
    }
    return { sizeBytes: receivedBytes, sha256: hash.digest('hex') };
  } finally {
    clearTimeout(stallTimer);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function closeStream(out: NodeJS.WritableStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    out.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

function diskProblem(partialPath: string, error: NodeJS.ErrnoException): PullError {
  if (error.code === 'ENOSPC') {
    return new PullError(
      'disk_space',
      `the disk filled up while writing ${partialPath}; free some space and pull again to resume`,
    );
  }
  return new PullError('disk_space', `could not write ${partialPath}: ${error.message}`);
}

/** Removes a partial file and its record (after a checksum mismatch: those bytes must not be resumed). */
export async function removePartial(partialPath: string): Promise<void> {
  await rm(partialPath, { force: true });
  await rm(partialMetaPath(partialPath), { force: true });
}
