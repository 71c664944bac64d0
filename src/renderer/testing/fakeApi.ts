import { vi } from 'vitest';
import type { EventHandler, MaiApi } from '../api';
import type {
  EventName,
  EventPayload,
  ModelListing,
  RequestName,
  RequestPayload,
  ResponseValue,
  Result,
} from '../../shared/contract';
import { useChat } from '../state/chatStore';
import { useDownloads } from '../state/downloadsStore';
import { useModels } from '../state/modelsStore';
import { useResources } from '../store';

type Handlers = {
  [N in RequestName]?: (payload: RequestPayload<N>) => Promise<Result<ResponseValue<N>>> | Result<ResponseValue<N>>;
};

/**
 * A stand-in for api.ts (the transport is not under test): requests answer from `handlers`, and `emit` delivers
 * events as the brain would.
 */
export function fakeApi(handlers: Handlers = {}) {
  const listeners = new Map<string, Set<(payload: unknown, seq: number) => void>>();
  const invoke = vi.fn(async (name: RequestName, payload: unknown) => {
    const handler = handlers[name] as ((p: unknown) => unknown) | undefined;
    if (!handler) return { ok: false, error: { code: 'unavailable', message: `no fake for ${name}` } };
    return handler(payload);
  });
  const api: MaiApi = {
    transport: 'websocket',
    problem: null,
    invoke: invoke as MaiApi['invoke'],
    on<E extends EventName>(name: E, handler: EventHandler<E>) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const entry = handler as (payload: unknown, seq: number) => void;
      set.add(entry);
      return () => set.delete(entry);
    },
    onConnectionChange: (handler) => {
      handler(true);
      return () => {};
    },
  };
  let seq = 0;
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) =>
    listeners.get(name)?.forEach((listener) => listener(payload, seq++));
  return { api, invoke, emit };
}

export function okResult<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function listing(key: string, overrides: Partial<ModelListing> = {}): ModelListing {
  return {
    key,
    displayName: key,
    backend: 'embedded',
    category: 'small',
    sizeBytes: 1_185_376,
    contextWindow: 2048,
    capabilities: [],
    estimate: { ramBytes: 10 * 1024 ** 2, vramBytes: 0, contextLength: 2048, method: 'engine' },
    fits: true,
    reason: 'fits with room to spare',
    loaded: false,
    usable: true,
    ...overrides,
  };
}

/** Every store back to its first state between tests. */
export function resetStores(): void {
  useResources.setState({ status: null, latest: null, history: [], connected: false, error: null });
  useChat.setState({
    conversations: [],
    currentId: null,
    messages: [],
    switches: [],
    streaming: null,
    problem: null,
    deleted: null,
  });
  useModels.setState({ models: null, decisions: [], loading: null, switching: null, error: null });
  useDownloads.setState({ recommendations: null, pull: null, error: null });
}
