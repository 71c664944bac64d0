/**
 * The renderer's only door to the brain: `window.mai` inside Electron, the web bridge's WebSocket in a browser.
 * Both carry the same contract; everything arriving is validated against it before the UI sees it.
 */
import type { MaiBridge } from '../shared/bridge';
import {
  EventEnvelopeSchema,
  eventSchemas,
  fail,
  isEventName,
  parseResponse,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestPayload,
  type ResponseValue,
  type Result,
  type ServerFrame,
} from '../shared/contract';

export type EventHandler<E extends EventName> = (payload: EventPayload<E>, seq: number) => void;

export interface MaiApi {
  readonly transport: 'electron' | 'websocket';
  /** Why the UI cannot reach Mai at all (e.g. the URL lacks its token), or null. */
  readonly problem: string | null;
  invoke<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<Result<ResponseValue<N>>>;
  on<E extends EventName>(name: E, handler: EventHandler<E>): () => void;
  onConnectionChange(handler: (connected: boolean) => void): () => void;
}

type RawTransport = {
  kind: MaiApi['transport'];
  invoke(name: string, payload: unknown): Promise<Result<unknown>>;
  listen(name: EventName, listener: (envelope: unknown) => void): () => void;
  onConnectionChange(handler: (connected: boolean) => void): () => void;
};

declare global {
  interface Window {
    mai?: MaiBridge;
  }
}

/** Reconnect quickly at first, then back off: `mai serve` restarting should not need a page reload. */
const reconnectDelaysMs = [250, 500, 1000, 2000, 5000];

/**
 * How long a request waits for a connection before it fails: 6 s, just over the longest reconnect delay, so one
 * more attempt gets its chance. Past it the person learns Mai is unreachable instead of watching a frozen UI.
 */
export const connectTimeoutMs = 6_000;

export interface WebSocketTransportOptions {
  /** The WebSocket class; the browser's by default (tests pass the `ws` package's). */
  WebSocketImpl?: typeof WebSocket;
  connectTimeoutMs?: number;
}

function webSocketTransport(location: Location, options: WebSocketTransportOptions = {}): RawTransport {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get('token') ?? '';
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const Socket = options.WebSocketImpl ?? WebSocket;
  const waitMs = options.connectTimeoutMs ?? connectTimeoutMs;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Set<(envelope: { name?: unknown }) => void>();
  const connectionHandlers = new Set<(connected: boolean) => void>();
  const openWaiters = new Set<() => void>();
  let nextId = 0;
  let attempt = 0;
  let connected = false;
  let socket: WebSocket;

  function connect(): void {
    socket = new Socket(wsUrl);
    socket.addEventListener('open', () => {
      attempt = 0;
      connected = true;
      connectionHandlers.forEach((handler) => handler(true));
      openWaiters.forEach((wake) => wake());
      openWaiters.clear();
    });
    socket.addEventListener('message', (message) => {
      const frame = JSON.parse(String(message.data)) as ServerFrame;
      if (frame.type === 'response') {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      } else listeners.forEach((listener) => listener(frame));
    });
    // A failed connection reports an error, then closes; the close handler retries, so the error needs no action.
    socket.addEventListener('error', () => {});
    socket.addEventListener('close', () => {
      connected = false;
      connectionHandlers.forEach((handler) => handler(false));
      for (const resolve of pending.values()) resolve(fail('unavailable', 'connection to Mai lost', 'disconnected'));
      pending.clear();
      const delay = reconnectDelaysMs[Math.min(attempt++, reconnectDelaysMs.length - 1)];
      setTimeout(connect, delay);
    });
  }
  connect();

  /** Resolves true once connected, false when the wait runs out first. */
  function connection(): Promise<boolean> {
    if (connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        openWaiters.delete(wake);
        resolve(false);
      }, waitMs);
      openWaiters.add(wake);
    });
  }

  return {
    kind: 'websocket',
    async invoke(name, payload) {
      if (!(await connection())) {
        return fail(
          'unavailable',
          `Mai cannot be reached at ${location.host}: no connection within ${Math.round(waitMs / 1000)} s. Is "mai serve" (or the Mai app) still running?`,
          'disconnected',
        );
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'request', id, name, payload }));
      });
    },
    listen(name, listener) {
      const filtered = (envelope: { name?: unknown }) => {
        if (envelope.name === name) listener(envelope);
      };
      listeners.add(filtered);
      return () => listeners.delete(filtered);
    },
    onConnectionChange(handler) {
      // Tell the newcomer the current state at once: the socket may have opened before it subscribed.
      handler(connected);
      connectionHandlers.add(handler);
      return () => connectionHandlers.delete(handler);
    },
  };
}

function electronTransport(bridge: MaiBridge): RawTransport {
  return {
    kind: 'electron',
    invoke: (name, payload) => bridge.invoke(name, payload),
    listen: (name, listener) => bridge.on(name, listener),
    // IPC lives as long as the window; it is connected by construction.
    onConnectionChange: (handler) => {
      handler(true);
      return () => {};
    },
  };
}

export function createApi(win: Window = window, options: WebSocketTransportOptions = {}): MaiApi {
  const transport = win.mai ? electronTransport(win.mai) : webSocketTransport(win.location, options);
  const missingToken = !win.mai && !new URLSearchParams(win.location.hash.slice(1)).get('token');
  return {
    transport: transport.kind,
    problem: missingToken
      ? 'This page has no access token. Open the full URL that "mai serve" printed (it ends in #token=…).'
      : null,
    async invoke(name, payload) {
      const result = await transport.invoke(name, payload);
      return result.ok ? parseResponse(name, result.value) : result;
    },
    on(name, handler) {
      return transport.listen(name, (raw) => {
        const envelope = EventEnvelopeSchema.safeParse(raw);
        if (!envelope.success || envelope.data.name !== name || !isEventName(envelope.data.name)) return;
        const payload = eventSchemas[name].safeParse(envelope.data.payload);
        if (payload.success) handler(payload.data as EventPayload<typeof name>, envelope.data.seq);
      });
    },
    onConnectionChange: (handler) => transport.onConnectionChange(handler),
  };
}
