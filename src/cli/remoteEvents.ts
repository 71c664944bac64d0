import { WebSocket } from 'ws';
import type { Instance } from '../server/instanceFile';
import { EventEnvelopeSchema, eventSchemas, isEventName, type EventName } from '../shared/contract';
import { CliError } from './exitCodes';
import { instanceOrigin } from './remoteRequest';

/** A loopback WebSocket opens in milliseconds; two seconds means the instance is not answering. */
const connectTimeoutMs = 2_000;

export interface EventStream {
  close(): Promise<void>;
}

/**
 * A running Mai's events over its bridge's WebSocket (loaded only by a command that listens: a chat, `status
 * --watch`), each checked against the contract before it reaches `deliver`.
 */
export async function connectEvents(
  instance: Instance,
  deliver: (name: EventName, payload: unknown) => void,
): Promise<EventStream> {
  const url = `${instanceOrigin(instance).label.replace(/^http/, 'ws')}/ws`;
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
  socket.on('message', (data) => {
    const envelope = EventEnvelopeSchema.safeParse(JSON.parse(String(data)));
    if (!envelope.success || !isEventName(envelope.data.name)) return;
    const name = envelope.data.name;
    const payload = eventSchemas[name].safeParse(envelope.data.payload);
    if (payload.success) deliver(name, payload.data);
  });
  socket.on('error', () => {});
  return {
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
}
