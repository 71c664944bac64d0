import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { sharedModelsDir } from '../fixtures';
import { startLmStudioServer, type RunningServer } from './server';

/** A bare WebSocket speaking the wire protocol, to check frames the SDK would hide. */
async function rawSocket(url: string): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  const waiters: ((frame: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) => {
      const frame = frames.shift();
      if (frame) resolve(frame);
      else waiters.push(resolve);
    });
  return { ws, next };
}

const auth = (passkey = 'secret-1') =>
  JSON.stringify({ authVersion: 1, clientIdentifier: 'wire-test', clientPasskey: passkey });

describe('LM Studio-compatible server, on the wire', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
  });
  afterAll(() => server.close());

  it('greets over HTTP on the WebSocket port', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const greeting = await fetch(`${base}/lmstudio-greeting`);
    expect(greeting.status).toBe(200);
    expect(greeting.headers.get('content-type')).toBe('application/json');
    expect(await greeting.json()).toEqual({ lmstudio: true });
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  it('authenticates first come, first served, then answers keepAlive', async () => {
    const first = await rawSocket(`${server.url}/system`);
    first.ws.send(auth());
    expect(await first.next()).toEqual({ success: true });
    first.ws.send(JSON.stringify({ type: 'keepAlive' }));
    expect(await first.next()).toEqual({ type: 'keepAliveAck' });

    const impostor = await rawSocket(`${server.url}/llm`);
    impostor.ws.send(auth('another-passkey'));
    expect(await impostor.next()).toEqual({
      success: false,
      error: 'Failed to validate client: Invalid client passkey',
    });
    const sameClient = await rawSocket(`${server.url}/llm`);
    sameClient.ws.send(auth());
    expect(await sameClient.next()).toEqual({ success: true });
    for (const socket of [first, impostor, sameClient]) socket.ws.close();
  });

  it('answers void, unknown and invalid calls instead of leaving the client hanging', async () => {
    const { ws, next } = await rawSocket(`${server.url}/system`);
    ws.send(auth());
    await next();
    ws.send(JSON.stringify({ type: 'rpcCall', endpoint: 'notify', callId: 7, parameter: { title: 'hello' } }));
    // A void result goes out without a `result` key.
    expect(await next()).toEqual({ type: 'rpcResult', callId: 7 });
    ws.send(JSON.stringify({ type: 'rpcCall', endpoint: 'noSuchThing', callId: 8 }));
    expect(await next()).toMatchObject({ type: 'communicationWarning' });
    expect(await next()).toMatchObject({ type: 'rpcError', callId: 8, error: { title: expect.any(String) } });
    ws.send(JSON.stringify({ type: 'rpcCall', endpoint: 'notify', callId: 9, parameter: { title: 42 } }));
    expect(await next()).toMatchObject({ type: 'communicationWarning' });
    expect(await next()).toMatchObject({ type: 'rpcError', callId: 9 });
    ws.send(JSON.stringify({ type: 'channelCreate', endpoint: 'noSuchChannel', channelId: 10 }));
    expect(await next()).toMatchObject({ type: 'communicationWarning' });
    expect(await next()).toMatchObject({ type: 'channelError', channelId: 10 });
    ws.close();
    expect(server.warnings.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses a WebSocket on a path that is no namespace', async () => {
    const ws = new WebSocket(`${server.url}/nowhere`);
    await expect(new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))).rejects.toThrow();
  });

  it('lists models that satisfy the SDK schema: ints, lowercase format, no nulls', async () => {
    const { ws, next } = await rawSocket(`${server.url}/system`);
    ws.send(auth());
    await next();
    ws.send(JSON.stringify({ type: 'rpcCall', endpoint: 'listDownloadedModels', callId: 0 }));
    const reply = await next();
    const models = reply.result as Record<string, unknown>[];
    expect(models).toHaveLength(2);
    for (const model of models) {
      expect(model).toMatchObject({ type: 'llm', format: 'gguf', vision: false, trainedForToolUse: false });
      expect(Number.isInteger(model.sizeBytes) && Number.isInteger(model.maxContextLength)).toBe(true);
      expect(Object.values(model)).not.toContain(null);
    }
    ws.close();
  });
});
