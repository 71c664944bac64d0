import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';

/** What a raw request got back: an HTTP reply, or 101 when a WebSocket upgrade was accepted. */
export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  port: number;
  /** Sent as is: fetch would normalise `%E0%A4%A` or `//`. */
  path: string;
  /** The Host header as is (fetch always sends the URL's); null sends none. */
  host: string | null;
  method?: string;
  headers?: Record<string, string>;
  /** Written in pieces without a Content-Length, so the body goes chunked. */
  chunks?: Buffer[];
  upgrade?: boolean;
}

/** A request to 127.0.0.1 through node:http, for what fetch will not send: a forged Host, a raw path, no Host. */
export function rawRequest(options: RawRequest): Promise<RawReply> {
  const upgradeHeaders = options.upgrade
    ? {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
      }
    : {};
  return new Promise((resolve, reject) => {
    const sent = request({
      host: '127.0.0.1',
      port: options.port,
      path: options.path,
      method: options.method ?? 'GET',
      setHost: options.host !== null,
      headers: { ...(options.host === null ? {} : { host: options.host }), ...upgradeHeaders, ...options.headers },
    });
    let answered = false;
    sent.on('upgrade', (response, socket) => {
      answered = true;
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
    });
    sent.on('response', (response) => {
      answered = true;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => (body += text));
      // 'close', not 'end': it comes even when the server cuts the connection right after its reply.
      response.on('close', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    // A server that answers early and closes (413) may reset the rest of the upload; the reply counts, not that.
    sent.on('error', (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of options.chunks ?? []) sent.write(chunk);
    sent.end();
  });
}
