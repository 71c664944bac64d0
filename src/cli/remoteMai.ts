import { WebSocket } from 'ws';
import type { ChatOptions } from '../brain/Mai';
import { connectHost, type Instance } from '../server/instanceFile';
import {
  EventEnvelopeSchema,
  eventSchemas,
  fail,
  isEventName,
  parseResponse,
  type EventName,
  type EventPayload,
  type Result,
  type ServerFrame,
} from '../shared/contract';
import { CliError } from './exitCodes';
import type { MaiClient } from './maiClient';
import { RequestFailed } from './maiClient';

/** A loopback WebSocket opens in milliseconds; two seconds means the instance is not answering. */
const connectTimeoutMs = 2_000;

/**
 * A running Mai over its web bridge's WebSocket, with its token: the same requests and events a browser gets,
 * each answer checked against the contract before a command sees it.
 */
export async function connectRemoteMai(instance: Instance): Promise<MaiClient> {
  const host = connectHost(instance);
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${instance.port}/ws`;
  const socket = new WebSocket(url, { headers: { authorization: `Bearer ${instance.token}` } });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  }).catch((error: unknown) => {
    socket.terminate();
    throw new CliError(
      `the running Mai (pid ${instance.pid}) did not answer at ${url}: ${(error as Error).message}. Is it still starting?`,
    );
  });

  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let nextId = 0;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.type === 'response') {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
      return;
    }
    const envelope = EventEnvelopeSchema.safeParse(frame);
    if (!envelope.success || !isEventName(envelope.data.name)) return;
    const name = envelope.data.name;
    const payload = eventSchemas[name].safeParse(envelope.data.payload);
    if (payload.success) listeners.get(name)?.forEach((listener) => listener(payload.data as never));
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    for (const resolve of pending.values()) {
      resolve(fail('unavailable', `the running Mai (pid ${instance.pid}) closed the connection`, 'disconnected'));
    }
    pending.clear();
  });

  const client: MaiClient = {
    attachedPid: instance.pid,
    async invoke(request) {
      if (socket.readyState !== WebSocket.OPEN) {
        return fail('unavailable', `the running Mai (pid ${instance.pid}) is no longer connected`, 'disconnected');
      }
      const id = nextId++;
      const result = await new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'request', id, name: request.name, payload: request.payload }));
      });
      return result.ok ? parseResponse(request.name, result.value) : result;
    },
    subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    async chat(text: string, options: ChatOptions = {}) {
      const offs = [
        client.subscribe('chat.fragment', ({ text: fragment }) => options.onFragment?.(fragment)),
        client.subscribe('chat.restart', ({ reason }) => options.onRestart?.(reason)),
        client.subscribe('chat.handoff', ({ text: kept, from, reason }) =>
          options.onHandoff?.({ text: kept, from, reason }),
        ),
      ];
      const cancel = () => void client.invoke({ name: 'chat.cancel', payload: {} });
      options.signal?.addEventListener('abort', cancel);
      try {
        const result = await client.invoke({ name: 'chat.send', payload: { text } });
        if (!result.ok) throw new RequestFailed(result.error);
        return result.value;
      } finally {
        options.signal?.removeEventListener('abort', cancel);
        offs.forEach((off) => off());
      }
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
  return client;
}
