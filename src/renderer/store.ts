import { create } from 'zustand';
import type { ResourceSample, Status } from '../shared/contract';

/** Five minutes at 1 Hz: what the sparklines show. */
export const historyLength = 300;

export interface ResourcesState {
  status: Status | null;
  latest: ResourceSample | null;
  history: ResourceSample[];
  connected: boolean;
  error: string | null;
  setStatus(status: Status): void;
  addSample(sample: ResourceSample): void;
  /** Puts the brain's recent samples before those already received (after a reload or reconnection). */
  setHistory(samples: ResourceSample[]): void;
  setConnected(connected: boolean): void;
  setError(error: string | null): void;
}

export const useResources = create<ResourcesState>()((set) => ({
  status: null,
  latest: null,
  history: [],
  connected: false,
  error: null,
  setStatus: (status) => set({ status, latest: status.resources }),
  addSample: (sample) =>
    set((state) => ({ latest: sample, history: [...state.history, sample].slice(-historyLength) })),
  setHistory: (samples) =>
    set((state) => {
      const lastAtMs = samples.at(-1)?.atMs ?? -Infinity;
      const newer = state.history.filter((s) => s.atMs > lastAtMs);
      return { history: [...samples, ...newer].slice(-historyLength) };
    }),
  setConnected: (connected) => set({ connected }),
  setError: (error) => set({ error }),
}));
