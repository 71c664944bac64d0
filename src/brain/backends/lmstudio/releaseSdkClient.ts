import type { LMStudioClient } from '@lmstudio/sdk';
import { withDeadline } from './deadline';

/** The per-namespace ports LMStudioClient 1.5.0 holds (index.cjs, LMStudioClient constructor). */
const sdkPortFields = [
  'llmPort',
  'embeddingPort',
  'systemPort',
  'diagnosticsPort',
  'filesPort',
  'repositoryPort',
  'pluginsPort',
] as const;

interface TerminableSocket {
  terminate?: () => void;
  close?: () => void;
}

/**
 * Drops the client's sockets at once. Reaches into SDK 1.5.0 internals (`<port>.transport.ws`, a `ws` WebSocket) on
 * purpose: the SDK's dispose waits until every open call settles, and an `alive` channel (whenDisconnected) or a call
 * whose reply never comes never settles, so dispose alone would hang and keep the process alive. Terminating the
 * socket makes the SDK reject what is pending with "WebSocket connection closed" and lets dispose finish. Every step is
 * checked, so a different SDK shape degrades to a plain dispose.
 */
function terminateSockets(client: LMStudioClient): void {
  const fields = client as unknown as Record<string, unknown>;
  for (const field of sdkPortFields) {
    const port = fields[field] as { transport?: { ws?: TerminableSocket | null } } | undefined;
    const socket = port?.transport?.ws;
    if (!socket) continue;
    try {
      // terminate() destroys the TCP socket now; close() would wait up to 30 s for a stuck peer's closing handshake.
      if (typeof socket.terminate === 'function') socket.terminate();
      else socket.close?.();
    } catch {
      // A socket still connecting may throw here; it is being torn down either way.
    }
  }
}

/** Disposes an SDK client without ever hanging: dispose, drop the sockets, wait at most `timeoutMs`. */
export async function releaseSdkClient(client: LMStudioClient, timeoutMs = 2_000): Promise<void> {
  const disposing = client[Symbol.asyncDispose]();
  terminateSockets(client);
  await withDeadline(disposing, timeoutMs, 'disconnect').catch(() => {});
}
