import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * A plain HTTP file server on 127.0.0.1 for download tests: serves real files (the fixture GGUFs) with Range,
 * ETag and If-Range as a CDN does, and counts every byte it writes, so a test can prove a resumed download did not
 * fetch a byte twice. Knobs make it fail the ways real servers do.
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
}

export interface DownloadServer {
  url(fileName: string): string;
  /** http://127.0.0.1:PORT, e.g. as an hf: endpoint (`/<owner>/<repo>/resolve/<branch>/<file>` serves <file>). */
  baseUrl: string;
  requests: ServedRequest[];
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
      return [name, { data, etag: `"${createHash('sha256').update(data).digest('hex').slice(0, 16)}"` }];
    }),
  );
  const requests: ServedRequest[] = [];
  const knobs: DownloadServerKnobs = {
    cutNextAfterBytes: null,
    refuseWith: null,
    bytesPerTick: null,
    ignoreRange: false,
  };

  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const name = path.posix.basename(urlPath);
    const file = contents.get(name);
    const record: ServedRequest = { path: urlPath, range: req.headers.range ?? null, status: 0, sentBytes: 0 };
    requests.push(record);
    if (knobs.refuseWith !== null || !file) {
      record.status = knobs.refuseWith ?? 404;
      res.writeHead(record.status, { 'content-type': 'text/plain' }).end('no\n');
      return;
    }
    const { data, etag } = file;
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
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    url: (fileName) => `${baseUrl}/files/${encodeURIComponent(fileName)}`,
    requests,
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
