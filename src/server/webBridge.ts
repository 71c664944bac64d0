import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Brain } from '../brain';
import { subscribeAllEvents } from '../brain';
import { ClientFrameSchema, fail, parseRequest, type Result, type ServerFrame } from '../shared/contract';
import { createToken, originAllowed, tokenFromRequest, tokensMatch } from './auth';
import { serveStatic } from './staticFiles';

export interface WebBridgeOptions {
  brain: Brain;
  rendererDir: string;
  /** Loopback by default: the dashboard shows the machine's state and drives models. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
}

export interface WebBridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Bodies of API requests are small JSON objects; 1 MiB stops a client from filling memory. */
const maxBodyBytes = 1024 * 1024;

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/** Reads a JSON body; `tooLarge` marks a body over the limit, whose connection must close (the rest is unread). */
async function readJsonBody(request: IncomingMessage): Promise<Result<unknown> & { tooLarge?: boolean }> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) {
    return {
      ...fail('bad_request', `request body is ${declared} bytes, over the limit of ${maxBodyBytes}`),
      tooLarge: true,
    };
  }
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      return { ...fail('bad_request', `request body over the limit of ${maxBodyBytes} bytes`), tooLarge: true };
    }
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
  } catch (error) {
    return fail('bad_request', `request body is not JSON: ${(error as Error).message}`);
  }
}

/** `mai serve`: the built renderer over HTTP and the contract over a WebSocket, both behind a token. */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const { brain, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  const allowedOrigins = new Set<string>();
  const sockets = new Set<WebSocket>();

  function authorized(request: IncomingMessage, url: URL): Result<true> {
    if (!originAllowed(request, allowedOrigins))
      return fail('unauthorized', `origin ${request.headers.origin} is not allowed`);
    if (!tokensMatch(token, tokenFromRequest(request, url))) return fail('unauthorized', 'missing or wrong token');
    return { ok: true, value: true };
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const auth = authorized(request, url);
    if (!auth.ok) return sendJson(response, 401, auth);
    if (request.method === 'GET' && url.pathname === '/api/status') {
      return sendJson(response, 200, await brain.invoke({ name: 'status.get', payload: {} }));
    }
    if (request.method === 'POST' && url.pathname === '/api/request') {
      const body = await readJsonBody(request);
      if (body.tooLarge) response.setHeader('connection', 'close');
      if (!body.ok) return sendJson(response, body.tooLarge ? 413 : 400, { ok: false, error: body.error });
      if (body.value === null || typeof body.value !== 'object' || Array.isArray(body.value)) {
        return sendJson(response, 400, fail('bad_request', 'request body must be a JSON object {"name", "payload"}'));
      }
      const { name, payload } = body.value as { name?: unknown; payload?: unknown };
      const parsed = parseRequest(name, payload);
      if (!parsed.ok) return sendJson(response, 400, parsed);
      return sendJson(response, 200, await brain.invoke(parsed.value));
    }
    sendJson(response, 404, fail('unknown_request', `no API at ${request.method} ${url.pathname}`));
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const handled = url.pathname.startsWith('/api/')
      ? handleApi(request, response, url)
      : request.method === 'GET' || request.method === 'HEAD'
        ? serveStatic(rendererDir, url.pathname, response)
        : Promise.resolve(sendJson(response, 405, fail('bad_request', `${request.method} not allowed`)));
    handled.catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, fail('internal', String(error)));
      else response.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const auth = url.pathname === '/ws' ? authorized(request, url) : fail('unknown_request', 'no WebSocket here');
    if (!auth.ok) {
      socket.end(`HTTP/1.1 ${auth.error.code === 'unauthorized' ? '401 Unauthorized' : '404 Not Found'}\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = subscribeAllEvents(brain, (envelope) => send({ type: 'event', ...envelope }));
    ws.on('message', (data) => {
      void (async () => {
        let raw: unknown;
        try {
          raw = JSON.parse(String(data));
        } catch {
          return ws.close(1007, 'frames must be JSON');
        }
        const frame = ClientFrameSchema.safeParse(raw);
        if (!frame.success) return ws.close(1007, 'frames must be {type:"request", id, name, payload}');
        const parsed = parseRequest(frame.data.name, frame.data.payload);
        const result = parsed.ok ? await brain.invoke(parsed.value) : parsed;
        send({ type: 'response', id: frame.data.id, result });
      })();
    });
    // ws reports a protocol breach (an oversized or malformed frame) here and closes the socket itself (1009, 1002);
    // without a listener the error would be thrown and take the whole server down with one bad client.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  allowedOrigins.add(`http://${urlHost}:${port}`);
  if (host === '127.0.0.1' || host === '::1') allowedOrigins.add(`http://localhost:${port}`);

  return {
    url: `http://${urlHost}:${port}/#token=${token}`,
    port,
    token,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
