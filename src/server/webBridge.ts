import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Brain, Logger } from '../brain';
import { consoleLogger, subscribeAllEvents } from '../brain';
import { ClientFrameSchema, fail, parseRequest, type Result, type ServerFrame } from '../shared/contract';
import { createToken, originAllowed, tokenFromRequest, tokensMatch } from './auth';
import { hostProblem } from './hostCheck';
import { maxBodyBytes, readJsonBody } from './jsonBody';
import { refuseUpgrade, sendJson } from './replies';
import { requestTarget } from './requestTarget';
import { securityHeaders } from './securityHeaders';
import { serveStatic } from './staticFiles';

export interface WebBridgeOptions {
  brain: Brain;
  rendererDir: string;
  /** Loopback by default: the dashboard shows the machine's state and drives models. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** Where internal failures go; a client only ever hears that one happened. stderr by default. */
  logger?: Logger;
}

export interface WebBridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** What a client hears of a failure inside the bridge; the details go to the log only. */
const internalFailure = fail('internal', 'the request failed inside Mai; the details are in its log');

/** `mai serve`: the built renderer over HTTP and the contract over a WebSocket, both behind a token. */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const { brain, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? createToken();
  const logger = options.logger ?? consoleLogger();
  const allowedOrigins = new Set<string>();
  let port = 0;
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

  /** What every request and upgrade must show before its path means anything: a Host of this server, a path. */
  function admitted(request: IncomingMessage): { ok: true; url: URL } | { ok: false; status: number; body: unknown } {
    const wrongHost = hostProblem(request.headers.host, host, port);
    if (wrongHost) return { ok: false, status: 421, body: fail('bad_request', wrongHost) };
    const url = requestTarget(request.url);
    if (!url) return { ok: false, status: 400, body: fail('bad_request', 'the request target must be a path') };
    return { ok: true, url };
  }

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const admission = admitted(request);
    if (!admission.ok) return sendJson(response, admission.status, admission.body);
    const { url } = admission;
    if (url.pathname.startsWith('/api/')) return handleApi(request, response, url);
    if (request.method === 'GET' || request.method === 'HEAD') return serveStatic(rendererDir, url.pathname, response);
    sendJson(response, 405, fail('bad_request', `${request.method} not allowed`));
  }

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    handleHttp(request, response).catch((error: unknown) => {
      logger.error('web bridge request failed', { method: request.method, path: request.url, error: String(error) });
      if (!response.headersSent) sendJson(response, 500, internalFailure);
      else response.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes });
  server.on('upgrade', (request, socket, head) => {
    const admission = admitted(request);
    if (!admission.ok) return refuseUpgrade(socket, admission.status, admission.body);
    const { url } = admission;
    const auth = url.pathname === '/ws' ? authorized(request, url) : fail('unknown_request', 'no WebSocket here');
    if (!auth.ok) return refuseUpgrade(socket, auth.error.code === 'unauthorized' ? 401 : 404, auth);
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = subscribeAllEvents(brain, (envelope) => send({ type: 'event', ...envelope }));
    ws.on('message', (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        return ws.close(1007, 'frames must be JSON');
      }
      const frame = ClientFrameSchema.safeParse(raw);
      if (!frame.success) return ws.close(1007, 'frames must be {type:"request", id, name, payload}');
      const { id, name, payload } = frame.data;
      const parsed = parseRequest(name, payload);
      if (!parsed.ok) return send({ type: 'response', id, result: parsed });
      // Unhandled, a rejection here would end the process; the client hears only that its request failed.
      void brain
        .invoke(parsed.value)
        .catch((error: unknown) => {
          logger.error('web bridge request failed', { name, error: String(error) });
          return internalFailure;
        })
        .then((result) => send({ type: 'response', id, result }));
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
  // Known once listening; no request is handled before this line runs.
  port = (server.address() as AddressInfo).port;
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
