/**
 * The browser transport against a real WebSocket server on loopback (the `ws` package's client stands in for the
 * browser's WebSocket, which happy-dom lacks): requests settle whether Mai is there, comes later, or goes away.
 * A `.node.test.ts`: typechecked with Node's types beside the DOM (tsconfig.e2e.json), as it runs the `ws` package.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { createApi } from './api';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  // The transport reconnects forever; its sockets must go before a server can finish closing.
  for (const server of servers) for (const client of server.clients) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A bridge that answers every request with `{ cancelled: false }` (chat.cancel's answer), or never answers. */
function startServer(port = 0, answer = true): Promise<{ server: WebSocketServer; port: number }> {
  return new Promise((resolve) => {
    const server: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port }, () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    );
    servers.push(server);
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { id: number };
        if (answer)
          socket.send(
            JSON.stringify({ type: 'response', id: frame.id, result: { ok: true, value: { cancelled: false } } }),
          );
      });
    });
  });
}

/** A port nothing listens on: one the OS just gave a server that is closed again. */
async function freePort(): Promise<number> {
  const { server, port } = await startServer();
  await new Promise((resolve) => server.close(resolve));
  servers.splice(servers.indexOf(server), 1);
  return port;
}

function apiAt(port: number, connectTimeoutMs: number) {
  const location = { protocol: 'http:', host: `127.0.0.1:${port}`, hash: '#token=t' } as Location;
  return createApi({ location } as Window, {
    WebSocketImpl: NodeWebSocket as unknown as typeof WebSocket,
    connectTimeoutMs,
  });
}

describe('createApi over the web bridge WebSocket', () => {
  it('fails a request with "disconnected" when Mai cannot be reached, instead of never settling', async () => {
    const api = apiAt(await freePort(), 300);
    const result = await api.invoke('chat.cancel', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', detail: 'disconnected' } });
    if (!result.ok) expect(result.error.message).toMatch(/cannot be reached .* no connection within 0 s/);
  });

  it('waits for a Mai that comes up within the timeout, then answers', async () => {
    const port = await freePort();
    const api = apiAt(port, 5_000);
    const answer = api.invoke('chat.cancel', {});
    // The first connection is refused; the transport tries again after 250 ms and finds the server.
    await startServer(port);
    expect(await answer).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('fails the requests in flight when the connection drops', async () => {
    const { server, port } = await startServer(0, false);
    const api = apiAt(port, 2_000);
    const inFlight = api.invoke('chat.cancel', {});
    await new Promise<void>((resolve) => server.once('connection', () => resolve()));
    for (const client of server.clients) client.terminate();
    expect(await inFlight).toMatchObject({
      ok: false,
      error: { detail: 'disconnected', message: 'connection to Mai lost' },
    });
  });
});
