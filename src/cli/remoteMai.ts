import type { ChatOptions } from '../brain/Mai';
import { maiVersion } from '../brain/version';
import type { Instance } from '../server/instanceFile';
import type { EventName, EventPayload, Request, RequestName, ResponseValue, Result } from '../shared/contract';
import type { MaiClient } from './maiClient';
import { RequestFailed } from './maiClient';
import type { EventStream } from './remoteEvents';
import { postRequest } from './remoteRequest';

/** A quick request (status, a switch) may wait for a load to finish; a minute covers large models. */
const requestTimeoutMs = 60_000;

/**
 * A running Mai through its web bridge, with its token: requests over its HTTP API, events (only for a command that
 * listens) over its WebSocket. Nothing here loads zod or ws until it is needed, which keeps an attached
 * `mai status` close to Node's own start.
 */
export function connectRemoteMai(instance: Instance): MaiClient {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let events: Promise<EventStream> | null = null;
  const listen = () =>
    (events ??= import('./remoteEvents').then(({ connectEvents }) =>
      connectEvents(instance, (name, payload) =>
        listeners.get(name)?.forEach((listener) => listener(payload as never)),
      ),
    ));
  // A Mai of this very version checked its answer against this very contract before sending it (dispatch does);
  // another version's answer is checked here, against the contract this CLI knows.
  const sameContract = instance.version === maiVersion;

  const client: MaiClient = {
    attachedPid: instance.pid,
    async invoke<N extends RequestName>(request: Request<N>): Promise<Result<ResponseValue<N>>> {
      const timeoutMs = request.name === 'chat.send' ? null : requestTimeoutMs;
      const result = await postRequest(instance, request, timeoutMs);
      if (!result.ok || sameContract) return result as Result<ResponseValue<N>>;
      const { parseResponse } = await import('../shared/contract');
      return parseResponse(request.name, result.value);
    },
    subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: never) => void);
      void listen().catch(() => {});
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
      // Listening before asking: the first fragments come as soon as the answer starts.
      await listen();
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
      if (events) await (await events.catch(() => null))?.close();
    },
  };
  return client;
}
