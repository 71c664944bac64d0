/**
 * The attached client's transport against a real HTTP server on loopback: what a running Mai's bridge answers, what a
 * dead or confused one does, and the contract check for a Mai of another version.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { maiVersion } from '../brain/version';
import type { Instance } from '../server/instanceFile';
import { connectRemoteMai } from './remoteMai';
import { postRequest } from './remoteRequest';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
const servers: ReturnType<typeof createServer>[] = [];

async function bridge(handler: Handler): Promise<Instance> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => handler(request, body, response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { pid: 4242, port, host: '127.0.0.1', token: 'secret', startedAtMs: 0, version: maiVersion };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('postRequest', () => {
  it('posts the request with the token and returns the answer', async () => {
    const seen: { path?: string; auth?: string; body?: unknown } = {};
    const instance = await bridge((request, body, response) => {
      Object.assign(seen, { path: request.url, auth: request.headers.authorization, body: JSON.parse(body) });
      response.end(JSON.stringify({ ok: true, value: { pong: 1 } }));
    });
    const result = await postRequest(instance, { name: 'status.get', payload: {} }, 1_000);
    expect(result).toEqual({ ok: true, value: { pong: 1 } });
    expect(seen).toEqual({ path: '/api/request', auth: 'Bearer secret', body: { name: 'status.get', payload: {} } });
  });

  it('names an answer that is not the contract’s, with its HTTP status', async () => {
    const instance = await bridge((_request, _body, response) => {
      response.statusCode = 502;
      response.end('<html>bad gateway</html>');
    });
    const result = await postRequest(instance, { name: 'status.get', payload: {} }, 1_000);
    expect(result).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('unreadable answer (HTTP 502)') },
    });
  });

  it('a Mai that is gone is a disconnected failure naming where it was looked for, never a throw', async () => {
    const instance = await bridge(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const result = await postRequest(instance, { name: 'status.get', payload: {} }, 1_000);
    expect(result).toMatchObject({
      ok: false,
      error: {
        detail: 'disconnected',
        message: expect.stringContaining(`did not answer at http://127.0.0.1:${instance.port}`),
      },
    });
  });

  it('gives up on a Mai that never answers after the timeout', async () => {
    const instance = await bridge(() => {});
    const result = await postRequest(instance, { name: 'status.get', payload: {} }, 50);
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('no answer within') } });
  });
});

describe('connectRemoteMai', () => {
  const brokenStatus = (_request: IncomingMessage, _body: string, response: ServerResponse) =>
    response.end(JSON.stringify({ ok: true, value: { not: 'a status' } }));

  it('checks the answer of a Mai of another version against this CLI’s contract', async () => {
    const instance = { ...(await bridge(brokenStatus)), version: '0.0.0-other' };
    const result = await connectRemoteMai(instance).invoke({ name: 'status.get', payload: {} });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('broke the contract') } });
  });

  it('trusts its own version, whose dispatch checked the answer against the same contract', async () => {
    const instance = await bridge(brokenStatus);
    const result = await connectRemoteMai(instance).invoke({ name: 'status.get', payload: {} });
    expect(result).toEqual({ ok: true, value: { not: 'a status' } });
  });
});
