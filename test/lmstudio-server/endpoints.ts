import type { z } from 'zod';
import type { ServerFaults } from './faults';

/** What a handler can see of the socket it serves. */
export interface SessionContext {
  readonly clientIdentifier: string;
  readonly faults: ServerFaults;
  /** Drops this socket at once, as if LM Studio had crashed: the fault knob for "connection lost mid-answer". */
  dropConnection(): void;
}

/** A channel as a handler sees it. The handler sends its terminal message, then resolves (→ channelClose). */
export interface ServerChannel {
  send(message: unknown): void;
  /** Sends the terminal message; anything sent after it is dropped (a late fragment crashes the SDK's process). */
  finish(message: unknown): void;
  /** Messages the client sends on this channel (already JSON; `{type:"cancel"}` in 1.5.0). */
  onMessage(listener: (message: unknown) => void): void;
  /** Aborted when the socket closes: stop working, nobody is listening any more. */
  readonly socketClosed: AbortSignal;
}

export interface RpcEndpoint<P = unknown> {
  kind: 'rpc';
  parameter: z.ZodType<P>;
  /** The result; `undefined` goes out as an rpcResult without a `result` key (void endpoints, "not found"). */
  handle(parameter: P, context: SessionContext): unknown;
}

export interface ChannelEndpoint<P = unknown> {
  kind: 'channel';
  creationParameter: z.ZodType<P>;
  /** Resolve after the terminal message (LM Studio then sends channelClose); reject for channelError. */
  open(parameter: P, channel: ServerChannel, context: SessionContext): Promise<void>;
}

export type Endpoint = RpcEndpoint<never> | ChannelEndpoint<never>;
export type Namespace = ReadonlyMap<string, Endpoint>;

export const rpc = <P>(parameter: z.ZodType<P>, handle: RpcEndpoint<P>['handle']): Endpoint =>
  ({ kind: 'rpc', parameter, handle }) as unknown as Endpoint;

export const channel = <P>(creationParameter: z.ZodType<P>, open: ChannelEndpoint<P>['open']): Endpoint =>
  ({ kind: 'channel', creationParameter, open }) as unknown as Endpoint;
