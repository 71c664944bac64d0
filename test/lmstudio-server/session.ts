import { setTimeout as sleep } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import type { ChannelEndpoint, Namespace, RpcEndpoint, SessionContext } from './endpoints';
import type { FcfsAuthenticator } from './fcfsAuthenticator';
import type { ServerFaults } from './faults';
import { authPacketSchema, clientMessageSchema, type ClientMessage } from './wireSchemas';
import { toSerializedError, wireError, WireFailure } from './wireErrors';

export interface SessionOptions {
  namespaceName: string;
  namespace: Namespace;
  authenticator: FcfsAuthenticator;
  faults: () => ServerFaults;
  /** Every communicationWarning the SDK sends (it carries the SDK's zod error), and the server's own. */
  onWarning: (warning: string) => void;
}

/** LM Studio fails a connection that has not authenticated after 10 s (authenticationTimeoutMs). */
const authenticationTimeoutMs = 10_000;

/**
 * Why a client is refused by an LM Studio that requires this API token, or undefined when it presents it. The token
 * is `sk-lm-<clientIdentifier>:<clientPasskey>` (lms-shared-types lmstudioAPIToken.ts), exactly what SDK 2.0 puts in
 * the auth packet. The wording is this server's: the LM Studio app's own is not verified.
 */
function tokenRefusal(
  token: string | undefined,
  auth: { clientIdentifier: string; clientPasskey: string },
): string | undefined {
  if (token === undefined) return undefined;
  if (token === `sk-lm-${auth.clientIdentifier}:${auth.clientPasskey}`) return undefined;
  return 'Failed to validate client: this LM Studio requires a valid API token';
}

/** One WebSocket: the auth handshake, then the envelope (§3): rpc calls, channels, keep-alive. */
export function serveSession(socket: WebSocket, options: SessionOptions): void {
  const { namespaceName, namespace } = options;
  const channels = new Map<number, { listeners: ((message: unknown) => void)[]; open: boolean }>();
  const socketClosed = new AbortController();
  let clientIdentifier: string | null = null;

  const send = (frame: object) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const warn = (warning: string) => {
    options.onWarning(`[${namespaceName}] ${warning}`);
    send({ type: 'communicationWarning', warning });
  };
  const context: SessionContext = {
    get clientIdentifier() {
      return clientIdentifier ?? '';
    },
    get faults() {
      return options.faults();
    },
    dropConnection: () => socket.terminate(),
  };

  const authTimer = setTimeout(() => socket.close(1008, 'authentication timed out'), authenticationTimeoutMs);
  socket.on('close', () => {
    clearTimeout(authTimer);
    socketClosed.abort();
    if (clientIdentifier !== null) options.authenticator.release(clientIdentifier);
  });

  socket.on('message', (data, isBinary) => {
    let frame: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      frame = JSON.parse(String(data));
    } catch {
      options.onWarning(`[${namespaceName}] dropped a frame that is not one JSON text message`);
      return;
    }
    if (clientIdentifier === null) authenticate(frame);
    else void dispatch(frame);
  });

  function authenticate(frame: unknown): void {
    const auth = authPacketSchema.safeParse(frame);
    // Like LM Studio: a malformed auth packet is ignored; the timer fails the connection later.
    if (!auth.success) return options.onWarning(`[${namespaceName}] ignored a malformed auth packet`);
    const refusal = options.faults().refuseClients ?? tokenRefusal(options.faults().requireApiToken, auth.data);
    if (refusal !== undefined || !options.authenticator.admit(auth.data.clientIdentifier, auth.data.clientPasskey)) {
      send({ success: false, error: refusal ?? 'Failed to validate client: Invalid client passkey' });
      socket.close();
      return;
    }
    clearTimeout(authTimer);
    clientIdentifier = auth.data.clientIdentifier;
    send({ success: true });
  }

  async function dispatch(frame: unknown): Promise<void> {
    const parsed = clientMessageSchema.safeParse(frame);
    if (!parsed.success) return warn(`Received invalid message from client: ${JSON.stringify(frame)}`);
    const message: ClientMessage = parsed.data;
    switch (message.type) {
      case 'keepAlive':
        return send({ type: 'keepAliveAck' });
      case 'communicationWarning':
        return options.onWarning(`[${namespaceName}] from the client: ${message.warning}`);
      case 'rpcCall':
        return callRpc(message.endpoint, message.callId, message.parameter);
      case 'channelCreate':
        return openChannel(message.endpoint, message.channelId, message.creationParameter);
      case 'channelSend': {
        const open = channels.get(message.channelId);
        if (!open) return warn(`Received channelSend for unknown channel, channelId = ${message.channelId}`);
        return open.listeners.forEach((listener) => listener(message.message));
      }
      case 'channelAck':
        return;
      default:
        // 1.5.0 has no signal endpoints; answer rather than leave a subscriber waiting.
        if ('subscribeId' in message) {
          send({
            type: 'signalError',
            subscribeId: message.subscribeId,
            error: wireError('Signals are not supported'),
          });
        }
    }
  }

  /** Applies the fault knobs; false means "never answer". */
  async function survivesFaults(endpoint: string): Promise<boolean> {
    const faults = options.faults();
    if (faults.neverAnswer?.includes(endpoint)) return false;
    const delayMs = faults.delayMs?.[endpoint];
    if (delayMs !== undefined && delayMs > 0) await sleep(delayMs);
    return !socketClosed.signal.aborted;
  }

  async function callRpc(endpointName: string, callId: number, parameter: unknown): Promise<void> {
    const endpoint = namespace.get(endpointName) as RpcEndpoint | undefined;
    if (endpoint?.kind !== 'rpc') {
      // LM Studio only warns and never answers; answering too makes a test fail fast instead of hanging.
      warn(`Received rpcCall for unknown endpoint, endpoint = ${endpointName}`);
      return send({ type: 'rpcError', callId, error: wireError(`Unknown endpoint ${namespaceName}.${endpointName}`) });
    }
    const valid = endpoint.parameter.safeParse(parameter);
    if (!valid.success) {
      warn(`Received invalid parameter for rpc ${endpointName}: ${valid.error.message}`);
      return send({ type: 'rpcError', callId, error: wireError(`Invalid parameter for ${endpointName}`) });
    }
    if (!(await survivesFaults(endpointName))) return;
    try {
      const result: unknown = await endpoint.handle(valid.data, context);
      // JSON.stringify leaves the key out for undefined: the void / "not found" reply.
      send({ type: 'rpcResult', callId, result });
    } catch (error) {
      send({ type: 'rpcError', callId, error: toSerializedError(error) });
    }
  }

  async function openChannel(endpointName: string, channelId: number, parameter: unknown): Promise<void> {
    const endpoint = namespace.get(endpointName) as ChannelEndpoint | undefined;
    if (endpoint?.kind !== 'channel') {
      warn(`Received channelCreate for unknown endpoint, endpoint = ${endpointName}`);
      return send({
        type: 'channelError',
        channelId,
        error: wireError(`Unknown endpoint ${namespaceName}.${endpointName}`),
      });
    }
    const valid = endpoint.creationParameter.safeParse(parameter);
    if (!valid.success) {
      warn(`Received invalid creation parameter for channel ${endpointName}: ${valid.error.message}`);
      return send({ type: 'channelError', channelId, error: wireError(`Invalid parameter for ${endpointName}`) });
    }
    const state = { listeners: [] as ((message: unknown) => void)[], open: true };
    channels.set(channelId, state);
    if (!(await survivesFaults(endpointName))) return;
    const serverChannel = {
      send: (message: unknown) => {
        // Nothing may follow a terminal message: a late fragment crashes the SDK's process (§7.2 item 3).
        if (state.open) send({ type: 'channelSend', channelId, message });
      },
      finish: (message: unknown) => {
        if (state.open) send({ type: 'channelSend', channelId, message });
        state.open = false;
      },
      onMessage: (listener: (message: unknown) => void) => void state.listeners.push(listener),
      socketClosed: socketClosed.signal,
    };
    try {
      await endpoint.open(valid.data, serverChannel, context);
      state.open = false;
      send({ type: 'channelClose', channelId });
    } catch (error) {
      state.open = false;
      send({ type: 'channelError', channelId, error: toSerializedError(error) });
      if (!(error instanceof WireFailure))
        options.onWarning(`[${namespaceName}] ${endpointName} failed: ${String(error)}`);
    } finally {
      channels.delete(channelId);
    }
  }
}
