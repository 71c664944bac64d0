import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBrain, type Brain } from '../brain';
import { ipcChannels } from '../shared/bridge';
import type { EventEnvelope } from '../shared/contract';
import { registerIpc } from './ipc';
import { isTrustedSenderUrl } from './senderTrust';

const rendererUrl = 'file:///app/out/renderer/index.html';

/** Electron's ipcMain cannot be imported here; this records handlers the way ipcMain does. */
function fakeIpcMain() {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const emitter = new EventEmitter();
  return {
    handlers,
    emitter,
    handle: (channel: string, handler: (...args: unknown[]) => unknown) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
    on: (channel: string, listener: (...args: unknown[]) => void) => emitter.on(channel, listener),
    removeAllListeners: (channel: string) => emitter.removeAllListeners(channel),
  };
}

function fakeWebContents() {
  const sent: EventEnvelope[] = [];
  const contents = Object.assign(new EventEmitter(), {
    id: 1,
    sent,
    isDestroyed: () => false,
    send: (_channel: string, envelope: EventEnvelope) => sent.push(envelope),
  });
  return contents;
}

let brain: Brain | undefined;
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
});

async function setup() {
  brain = createBrain({ sampleIntervalMs: 30 });
  await brain.start();
  const ipcMain = fakeIpcMain();
  const unregister = registerIpc({
    ipcMain: ipcMain as never,
    brain,
    isTrustedSender: (url) => isTrustedSenderUrl(url, rendererUrl),
  });
  const invoke = (url: string, name: unknown, payload: unknown) =>
    ipcMain.handlers.get(ipcChannels.invoke)?.({ senderFrame: { url } }, name, payload);
  return { ipcMain, unregister, invoke };
}

/** Resolves after the brain has sampled `count` more times: long enough for any live feed to have sent them. */
async function moreSamples(count: number): Promise<void> {
  let seen = 0;
  const off = brain!.subscribe('resources.sample', () => (seen += 1));
  // The subscription's snapshot counts as one; `count` more are new samples.
  await vi.waitFor(() => expect(seen).toBeGreaterThan(count), { timeout: 5_000 });
  off();
}

describe('registerIpc', () => {
  it('answers a valid request from Mai’s own renderer', async () => {
    const { invoke } = await setup();
    expect(await invoke(rendererUrl, 'status.get', {})).toMatchObject({ ok: true, value: { app: { name: 'Mai' } } });
  });

  it('refuses a request from any other frame', async () => {
    const { invoke } = await setup();
    expect(await invoke('https://evil.example/', 'status.get', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('parses payloads with the contract before the brain sees them', async () => {
    const { invoke } = await setup();
    expect(await invoke(rendererUrl, 'resources.history', { windowMs: 'all' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await invoke(rendererUrl, 'shell.exec', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_request' },
    });
  });

  it('starts a window’s event feed on ready: snapshot first, numbered, ended when the page navigates', async () => {
    const { ipcMain, unregister } = await setup();
    const contents = fakeWebContents();
    ipcMain.emitter.emit(ipcChannels.ready, { sender: contents, senderFrame: { url: rendererUrl } });
    expect(contents.sent.map((e) => e.seq)).toEqual([0]);
    await vi.waitFor(() => expect(contents.sent.length).toBeGreaterThanOrEqual(3));
    const seqs = contents.sent.map((e) => e.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(3);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    contents.emit('did-start-navigation', { isSameDocument: false, isMainFrame: true });
    const count = contents.sent.length;
    await moreSamples(3);
    expect(contents.sent).toHaveLength(count);
    unregister();
  });

  it('keeps a window’s feed through same-document navigations (the tab switch’s replaceState) and subframes', async () => {
    const { ipcMain, unregister } = await setup();
    const contents = fakeWebContents();
    ipcMain.emitter.emit(ipcChannels.ready, { sender: contents, senderFrame: { url: rendererUrl } });
    contents.emit('did-start-navigation', { isSameDocument: true, isMainFrame: true });
    contents.emit('did-start-navigation', { isSameDocument: false, isMainFrame: false });
    const count = contents.sent.length;
    await vi.waitFor(() => expect(contents.sent.length).toBeGreaterThan(count + 1), { timeout: 5_000 });
    unregister();
  });

  it('hands a reloaded page a fresh feed and stops the old one', async () => {
    const { ipcMain, unregister } = await setup();
    const contents = fakeWebContents();
    const ready = () =>
      ipcMain.emitter.emit(ipcChannels.ready, { sender: contents, senderFrame: { url: rendererUrl } });
    ready();
    await vi.waitFor(() => expect(contents.sent.length).toBeGreaterThan(1));
    ready();
    // The old feed went with its listeners: one of each remains, the new feed's.
    expect(contents.listenerCount('did-start-navigation')).toBe(1);
    expect(contents.listenerCount('destroyed')).toBe(1);
    unregister();
    expect(contents.listenerCount('did-start-navigation')).toBe(0);
  });

  it('ignores ready from an untrusted frame', async () => {
    const { ipcMain, unregister } = await setup();
    const contents = fakeWebContents();
    ipcMain.emitter.emit(ipcChannels.ready, { sender: contents, senderFrame: { url: 'https://evil.example/' } });
    await moreSamples(3);
    expect(contents.sent).toHaveLength(0);
    unregister();
  });
});

describe('isTrustedSenderUrl', () => {
  it.each([
    [rendererUrl, rendererUrl, true],
    ['file:///app/out/renderer/index.html#/chat', rendererUrl, true],
    ['file:///tmp/evil.html', rendererUrl, false],
    ['http://localhost:5173/', rendererUrl, false],
    ['http://localhost:5173/index.html', 'http://localhost:5173', true],
    ['http://localhost:5174/', 'http://localhost:5173', false],
    [undefined, rendererUrl, false],
    ['not a url', rendererUrl, false],
  ])('%s against %s → %s', (sender, expected, trusted) => {
    expect(isTrustedSenderUrl(sender, expected)).toBe(trusted);
  });
});
