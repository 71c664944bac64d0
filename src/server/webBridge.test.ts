import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBrain, type Brain } from '../brain';
import type { ServerFrame } from '../shared/contract';
import { startWebBridge, type WebBridge } from './webBridge';

let brain: Brain;
let bridge: WebBridge;
let origin: string;

beforeAll(async () => {
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'mai-renderer-'));
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Mai</title>');
  brain = createBrain({ sampleIntervalMs: 100 });
  await brain.start();
  bridge = await startWebBridge({ brain, rendererDir });
  origin = `http://127.0.0.1:${bridge.port}`;
});

afterAll(async () => {
  await bridge.close();
  await brain.shutdown();
});

interface Client {
  ws: WebSocket;
  /** Resolves with the first `count` frames (since connecting) that pass the filter. */
  frames(count: number, filter: (f: ServerFrame) => boolean): Promise<ServerFrame[]>;
}

/** Connects and records every frame from the first, so the snapshot sent on connection is never missed. */
function connect(query: string, headers: Record<string, string> = {}): Promise<Client | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws${query}`, { headers });
    const received: ServerFrame[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data) => {
      received.push(JSON.parse(String(data)) as ServerFrame);
      waiters.forEach((wake) => wake());
    });
    const frames = (count: number, filter: (f: ServerFrame) => boolean) =>
      new Promise<ServerFrame[]>((done) => {
        const check = () => {
          const matching = received.filter(filter);
          if (matching.length >= count) {
            waiters.delete(check);
            done(matching.slice(0, count));
          }
        };
        waiters.add(check);
        check();
      });
    ws.on('open', () => resolve({ ws, frames }));
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
  });
}

function connected(client: Client | number): Client {
  if (typeof client === 'number') throw new Error(`refused with HTTP ${client}`);
  return client;
}

const isSample = (f: ServerFrame) => f.type === 'event' && f.name === 'resources.sample';
const isResponse = (f: ServerFrame) => f.type === 'response';
const seqs = (frames: ServerFrame[] | undefined) => frames?.map((f) => (f.type === 'event' ? f.seq : -1));

describe('web bridge', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(bridge.url).toBe(`${origin}/#token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer without a token but no API call without one', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(200);
    const refused = await fetch(`${origin}/api/status`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const allowed = await fetch(`${origin}/api/status`, { headers: { authorization: `Bearer ${bridge.token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ ok: true, value: { app: { name: 'Mai' } } });
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const response = await fetch(`${origin}/api/status`, {
      headers: { authorization: `Bearer ${bridge.token}`, origin: 'http://evil.example' },
    });
    expect(response.status).toBe(401);
    expect(await connect(`?token=${bridge.token}`, { origin: 'http://evil.example' })).toBe(401);
  });

  it('refuses WebSockets without the right token', async () => {
    expect(await connect('')).toBe(401);
    expect(await connect('?token=nope')).toBe(401);
  });

  it('validates API payloads against the contract and names the problem', async () => {
    const response = await fetch(`${origin}/api/request`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'resources.history', payload: { windowMs: -5 } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('windowMs');
  });

  it.each(['[]', '"status.get"', 'null', '5'])('refuses a body that is not an object (%s) with a 400', async (text) => {
    const response = await fetch(`${origin}/api/request`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: text,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('JSON object') },
    });
  });

  it('refuses an oversized body with a 413 naming the limit', async () => {
    const response = await fetch(`${origin}/api/request`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'chat.send', payload: { text: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('over the limit') });
  });

  it('closes a WebSocket that sends an oversized frame (1009)', async () => {
    const { ws } = connected(await connect(`?token=${bridge.token}`));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(
      JSON.stringify({ type: 'request', id: 1, name: 'chat.send', payload: { text: 'x'.repeat(2 * 1024 * 1024) } }),
    );
    expect(await closed).toBe(1009);
  });

  it('answers requests and pushes numbered samples, snapshot first', async () => {
    const { ws, frames } = connected(await connect(`?token=${bridge.token}`, { origin }));
    ws.send(JSON.stringify({ type: 'request', id: 7, name: 'status.get', payload: {} }));
    const [answer] = await frames(1, isResponse);
    expect(answer).toMatchObject({ type: 'response', id: 7, result: { ok: true } });
    expect(seqs(await frames(3, isSample))).toEqual([0, 1, 2]);
    ws.close();
  });

  it('answers an unknown request with an error value and closes on a malformed frame', async () => {
    const { ws, frames } = connected(await connect(`?token=${bridge.token}`));
    ws.send(JSON.stringify({ type: 'request', id: 1, name: 'models.delete', payload: {} }));
    expect((await frames(1, isResponse))[0]).toMatchObject({
      result: { ok: false, error: { code: 'unknown_request' } },
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1007);
  });

  it('serves several clients at once, each with its own feed', async () => {
    const clients = (await Promise.all([connect(`?token=${bridge.token}`), connect(`?token=${bridge.token}`)])).map(
      connected,
    );
    const [a, b] = await Promise.all(clients.map((client) => client.frames(2, isSample)));
    expect(seqs(a)).toEqual([0, 1]);
    expect(seqs(b)).toEqual([0, 1]);
    clients.forEach((client) => client.ws.close());
  });

  it('never serves files outside the renderer folder', async () => {
    const response = await fetch(`${origin}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(response.status).toBe(403);
  });
});
