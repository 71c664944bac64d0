import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A plain HTTP file server on 127.0.0.1 for download tests: serves real files (the fixture GGUFs) with Range,
 * ETag and If-Range as a CDN does, and counts every byte it writes, so a test can prove a resumed download did not
 * fetch a byte twice. It answers HEAD as Hugging Face does for an LFS file: `X-Linked-Size` and `X-Linked-Etag`
 * (the sha256, quoted), optionally on a 302 to a CDN path whose own answer lacks them. Knobs make it fail the ways
 * real servers do.
 */
export interface ServedRequest {
  path: string;
  range: string | null;
  status: number;
  /** Bytes of body written to the socket for this request. */
  sentBytes: number;
}

export interface DownloadServerKnobs {
  /** The next response ends (cleanly, FIN) after this many body bytes, as a dropped connection does. */
  cutNextAfterBytes: number | null;
  /** Answer every request with this status and no file (403, 404, 500...). */
  refuseWith: number | null;
  /** Pace the body: this many bytes per 10 ms tick (null: as fast as the socket takes them). */
  bytesPerTick: number | null;
  /** Ignore Range headers, as a server without range support does. */
  ignoreRange: boolean;
  /** Send X-Linked-Size and X-Linked-Etag (false: a plain server that only has Content-Length). */
  linkedHeaders: boolean;
  /** Report this sha256 in X-Linked-Etag instead of the file's own (a listing gone stale, a replaced upload). */
  linkedSha256: string | null;
  /** Answer HEAD with this status and nothing else (405: a server that only does GET). */
  refuseHeadWith: number | null;
  /** `/resolve/` paths answer 302 to `/cdn/<file>` (absolute URL) with the X-Linked-* headers, as huggingface.co does. */
  redirectResolve: boolean;
}

export interface DownloadServer {
  url(fileName: string): string;
  /** http://127.0.0.1:PORT, e.g. as an hf: endpoint (`/<owner>/<repo>/resolve/<branch>/<file>` serves <file>). */
  baseUrl: string;
  /** GET requests (the ones that can send bytes). */
  requests: ServedRequest[];
  /** HEAD requests, apart, so counts of body requests stay what they were. */
  heads: ServedRequest[];
  knobs: DownloadServerKnobs;
  /** Total body bytes written for one file, over all requests. */
  sentBytesFor(fileName: string): number;
  close(): Promise<void>;
}

const tickMs = 10;

export async function startDownloadServer(files: Record<string, string>): Promise<DownloadServer> {
  const contents = new Map(
    Object.entries(files).map(([name, filePath]) => {
      const data = readFileSync(filePath);
      const sha256 = createHash('sha256').update(data).digest('hex');
      return [name, { data, sha256, etag: `"${sha256.slice(0, 16)}"` }];
    }),
  );
  const requests: ServedRequest[] = [];
  const heads: ServedRequest[] = [];
  const knobs: DownloadServerKnobs = {
    cutNextAfterBytes: null,
    refuseWith: null,
    bytesPerTick: null,
    ignoreRange: false,
    linkedHeaders: true,
    linkedSha256: null,
    redirectResolve: false,
    refuseHeadWith: null,
  };
  let baseUrl = '';

  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const name = path.posix.basename(urlPath);
    const file = contents.get(name);
    const record: ServedRequest = { path: urlPath, range: req.headers.range ?? null, status: 0, sentBytes: 0 };
    const isHead = req.method === 'HEAD';
    (isHead ? heads : requests).push(record);
    if (isHead && knobs.refuseHeadWith !== null) {
      record.status = knobs.refuseHeadWith;
      res.writeHead(record.status).end();
      return;
    }
    if (knobs.refuseWith !== null || !file) {
      record.status = knobs.refuseWith ?? 404;
      res.writeHead(record.status, { 'content-type': 'text/plain' }).end('no\n');
      return;
    }
    const { data, etag } = file;
    // Hugging Face's LFS headers: the object's size and its sha256 as a quoted ETag value.
    const linked = knobs.linkedHeaders
      ? { 'x-linked-size': String(data.length), 'x-linked-etag': `"${knobs.linkedSha256 ?? file.sha256}"` }
      : {};
    if (knobs.redirectResolve && urlPath.includes('/resolve/')) {
      record.status = 302;
      const location = `${baseUrl}/cdn/${encodeURIComponent(name)}?signature=test`;
      res.writeHead(302, { location, etag, ...linked, 'content-length': 0 }).end();
      return;
    }
    const onCdn = knobs.redirectResolve && urlPath.startsWith('/cdn/');
    if (isHead) {
      record.status = 200;
      res
        .writeHead(200, {
          'content-length': data.length,
          'accept-ranges': knobs.ignoreRange ? 'none' : 'bytes',
          etag,
          ...(onCdn ? {} : linked),
        })
        .end();
      return;
    }
    let start = 0;
    let end = data.length - 1;
    const range = knobs.ignoreRange ? null : /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const rangeApplies = range !== null && (ifRange === undefined || ifRange === etag);
    if (rangeApplies) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(Number(range[2]), data.length - 1);
      if (start >= data.length) {
        record.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
        return;
      }
    }
    const body = data.subarray(start, end + 1);
    record.status = rangeApplies ? 206 : 200;
    res.writeHead(record.status, {
      'content-length': body.length,
      'accept-ranges': knobs.ignoreRange ? 'none' : 'bytes',
      etag,
      'content-type': 'application/octet-stream',
      ...(rangeApplies ? { 'content-range': `bytes ${start}-${end}/${data.length}` } : {}),
    });
    const cutAfter = knobs.cutNextAfterBytes;
    knobs.cutNextAfterBytes = null;
    const limit = cutAfter === null ? body.length : Math.min(cutAfter, body.length);
    let offset = 0;
    const step = knobs.bytesPerTick ?? 64 * 1024;
    const writeMore = () => {
      if (res.destroyed) return;
      while (offset < limit) {
        const piece = body.subarray(offset, Math.min(limit, offset + step));
        offset += piece.length;
        record.sentBytes += piece.length;
        const more = res.write(piece);
        if (knobs.bytesPerTick !== null) {
          setTimeout(writeMore, tickMs);
          return;
        }
        if (!more) {
          res.once('drain', writeMore);
          return;
        }
      }
      // A cut: end the socket after the bytes already written, so they all arrive and the body is short.
      if (limit < body.length) res.socket?.end();
      else res.end();
    };
    writeMore();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    url: (fileName) => `${baseUrl}/files/${encodeURIComponent(fileName)}`,
    requests,
    heads,
    knobs,
    sentBytesFor: (fileName) =>
      requests.filter((r) => path.posix.basename(r.path) === fileName).reduce((sum, r) => sum + r.sentBytes, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
