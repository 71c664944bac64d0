import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { rawRequest, type RawRequest } from '../../test/rawHttp';
import { createBrain, type Brain } from '../brain';
import { securityHeaders } from './securityHeaders';
import { startWebBridge, type WebBridge } from './webBridge';

let brain: Brain;
let bridge: WebBridge;
const logged: string[] = [];

beforeAll(async () => {
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'mai-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Mai</title>');
  brain = createBrain({ sampleIntervalMs: 1000 });
  await brain.start();
  const logger = {
    info: () => {},
    warn: () => {},
    error: (message: string, fields?: object) => logged.push(`${message} ${JSON.stringify(fields)}`),
  };
  bridge = await startWebBridge({ brain, rendererDir, logger });
});

afterAll(async () => {
  await bridge.close();
  await brain.shutdown();
});

const send = (request: Partial<RawRequest> & { path: string }) =>
  rawRequest({ port: bridge.port, host: `127.0.0.1:${bridge.port}`, ...request });
const withToken = () => ({ authorization: `Bearer ${bridge.token}` });
const json = (body: string) => JSON.parse(body) as { ok: boolean; error?: { code: string; message: string } };

describe('web bridge Host check (DNS rebinding)', () => {
  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])('serves Host %s:PORT', async (name) => {
    const host = `${name}:${bridge.port}`;
    expect((await send({ path: '/', host })).status).toBe(200);
    expect((await send({ path: '/api/status', host, headers: withToken() })).status).toBe(200);
    expect((await send({ path: `/ws?token=${bridge.token}`, host, upgrade: true })).status).toBe(101);
  });

  it.each([
    ['a foreign name', () => `evil.example:${bridge.port}`],
    ['another port', () => '127.0.0.1:1'],
    ['no port', () => 'localhost'],
    ['a name that ends like localhost', () => `evil-localhost:${bridge.port}`],
  ])('refuses %s with a 421 that names the Host, token or not', async (_what, hostFor) => {
    const host = hostFor();
    for (const reply of [
      await send({ path: '/', host }),
      await send({ path: '/api/status', host, headers: withToken() }),
      await send({ path: `/ws?token=${bridge.token}`, host, upgrade: true }),
    ]) {
      expect(reply.status).toBe(421);
      expect(json(reply.body)).toEqual({
        ok: false,
        error: { code: 'bad_request', message: expect.stringContaining(`Host "${host}" is not this server`) },
      });
    }
  });

  it('refuses a request with no Host at all', async () => {
    // node:http itself refuses an HTTP/1.1 request without Host (400); HTTP/1.0 may omit it and reaches the bridge.
    expect((await send({ path: '/', host: null })).status).toBe(400);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(bridge.port, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'));
      let text = '';
      socket.on('data', (data: Buffer) => (text += data.toString('utf8')));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 421 /);
    expect(reply).toContain('the request has no Host header');
  });
});

describe('web bridge on malformed requests', () => {
  it('answers a malformed percent-encoding with a 400, not the internal URIError', async () => {
    const reply = await send({ path: '/%E0%A4%A' });
    expect(reply.status).toBe(400);
    expect(json(reply.body)).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'the path has a malformed percent-encoding' },
    });
    expect(reply.body).not.toContain('URIError');
  });

  it('survives targets that new URL() throws on or reads as another host', async () => {
    expect((await send({ path: '//' })).status).toBe(200);
    expect((await send({ path: '//', upgrade: true })).status).toBe(404);
    expect((await send({ path: 'http://evil.example/api/status', headers: withToken() })).status).toBe(400);
    expect((await send({ path: '/api/status', headers: withToken() })).status).toBe(200);
  });

  it('answers a failure inside Mai with a generic 500 and logs the details', async () => {
    vi.spyOn(brain, 'invoke').mockRejectedValueOnce(new Error('EACCES /home/someone/secret'));
    const reply = await send({ path: '/api/status', headers: withToken() });
    expect(reply.status).toBe(500);
    expect(json(reply.body)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'the request failed inside Mai; the details are in its log' },
    });
    expect(reply.body).not.toContain('secret');
    expect(logged.some((line) => line.includes('EACCES /home/someone/secret'))).toBe(true);
  });

  it('answers a WebSocket request that fails inside Mai with a generic error and keeps the socket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws?token=${bridge.token}`);
    const answers: unknown[] = [];
    const answered = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string };
        if (frame.type !== 'response') return;
        answers.push(frame);
        if (answers.length === 2) resolve();
      }),
    );
    await new Promise((resolve) => ws.once('open', resolve));
    vi.spyOn(brain, 'invoke').mockRejectedValueOnce(new Error('ENOSPC /home/someone/secret'));
    ws.send(JSON.stringify({ type: 'request', id: 1, name: 'status.get', payload: {} }));
    ws.send(JSON.stringify({ type: 'request', id: 2, name: 'status.get', payload: {} }));
    await answered;
    ws.close();
    expect(answers).toEqual([
      { type: 'response', id: 1, result: { ok: false, error: { code: 'internal', message: expect.any(String) } } },
      { type: 'response', id: 2, result: expect.objectContaining({ ok: true }) },
    ]);
    expect(JSON.stringify(answers[0])).not.toContain('secret');
    expect(logged.some((line) => line.includes('ENOSPC /home/someone/secret'))).toBe(true);
  });

  it('answers a chunked body over the limit with a 413 and closes the connection', async () => {
    const chunks = Array.from({ length: 17 }, () => Buffer.alloc(64 * 1024, 'x'));
    const reply = await send({ path: '/api/request', method: 'POST', headers: withToken(), chunks });
    expect(reply.status).toBe(413);
    expect(reply.headers.connection).toBe('close');
    expect(json(reply.body).error?.message).toBe('request body over the limit of 1048576 bytes');
  });
});

describe('web bridge security headers', () => {
  it.each([
    ['the page', 200, { path: '/' }],
    ['an API refusal', 401, { path: '/api/status' }],
    ['a Host refusal', 421, { path: '/', host: 'evil.example' }],
    ['a WebSocket refusal', 401, { path: '/ws', upgrade: true }],
  ])('sends CSP, no framing, no referrer and nosniff on %s (%i)', async (_what, status, request) => {
    const reply = await send(request);
    expect(reply.status).toBe(status);
    expect(reply.headers).toMatchObject({
      'content-security-policy': securityHeaders['content-security-policy'],
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
