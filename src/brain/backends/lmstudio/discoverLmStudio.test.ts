import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../../../../test/lmstudio-server/testSupport';
import { discoverLmStudio } from './discoverLmStudio';

/** HTTP servers that answer the greeting in different ways, to see which ones count as LM Studio. */
function greeter(status: number, body: string): Promise<Server> {
  const server = createServer((_request, response) => response.writeHead(status).end(body));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('discoverLmStudio', () => {
  const servers: Server[] = [];
  let lmStudio: Server;
  let notLmStudio: Server;
  let notFound: Server;
  let silent: Server;

  beforeAll(async () => {
    lmStudio = await greeter(200, '{"lmstudio":true}');
    notLmStudio = await greeter(200, '{"lmstudio":"yes"}');
    notFound = await greeter(404, 'nope');
    // Accepts the connection and never answers: the probe timeout must bound it.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    servers.push(lmStudio, notLmStudio, notFound, silent);
  });
  afterAll(() => {
    for (const server of servers) server.closeAllConnections();
    return Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('picks the first candidate whose greeting says lmstudio: true', async () => {
    const ports = [await closedPort(), portOf(notFound), portOf(notLmStudio), portOf(silent), portOf(lmStudio)];
    const result = await discoverLmStudio({ ports, probeTimeoutMs: 300 });
    expect(result.found?.baseUrl).toBe(`ws://127.0.0.1:${portOf(lmStudio)}`);
    expect(result.tried).toHaveLength(5);
  });

  it('finds nothing when nobody answers correctly, probing every port at once, so the slowest bounds the wait', async () => {
    // Two servers that never answer: each probe is in flight when the other arrives, or they ran one after another.
    let inFlight = 0;
    let mostAtOnce = 0;
    const hanging = await Promise.all(
      [0, 1].map(async () => {
        const server = createServer((request) => {
          inFlight += 1;
          mostAtOnce = Math.max(mostAtOnce, inFlight);
          request.socket.once('close', () => (inFlight -= 1));
        });
        servers.push(server);
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return server;
      }),
    );
    const result = await discoverLmStudio({ ports: [...hanging.map(portOf), portOf(notFound)], probeTimeoutMs: 300 });
    expect(result.found).toBeNull();
    expect(result.tried).toHaveLength(3);
    expect(mostAtOnce).toBe(2);
  });

  it('probes only the configured URL when there is one', async () => {
    const result = await discoverLmStudio({ url: `ws://127.0.0.1:${portOf(lmStudio)}`, ports: [1] });
    expect(result.tried).toEqual([`ws://127.0.0.1:${portOf(lmStudio)}`]);
    expect(result.found).not.toBeNull();
  });
});
