import type { EventEnvelope, Result } from './contract';

/**
 * What the preload exposes as `window.mai`: two functions and nothing else. Payloads stay `unknown` here because
 * main validates every inbound request against the contract; the renderer's api.ts adds the types.
 */
export interface MaiBridge {
  invoke(name: string, payload: unknown): Promise<Result<unknown>>;
  /** Listens to one contract event; the first delivery after subscribing is the current snapshot (seq 0). */
  on(name: string, listener: (envelope: EventEnvelope) => void): () => void;
}

/** IPC channel names shared by main and preload. */
export const ipcChannels = {
  invoke: 'mai:invoke',
  event: 'mai:event',
  ready: 'mai:ready',
} as const;
