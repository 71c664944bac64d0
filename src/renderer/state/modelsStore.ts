import { create } from 'zustand';
import type { Decision, ModelListing } from '../../shared/contract';
import { mergeSwitches } from './chatStore';

/** How many decisions the dashboard's log keeps. */
export const decisionLogLength = 100;

export interface LoadProgress {
  key: string;
  fraction: number;
}

export interface ModelsState {
  /** null until models.list has answered once. */
  models: ModelListing[] | null;
  decisions: Decision[];
  loading: LoadProgress | null;
  /** The key being switched to from the UI, so its button shows it is working. */
  switching: string | null;
  error: string | null;
  setModels(models: ModelListing[]): void;
  addDecisions(decisions: Decision[]): void;
  setLoading(progress: LoadProgress | null): void;
  setSwitching(key: string | null): void;
  setError(error: string | null): void;
}

export const useModels = create<ModelsState>()((set) => ({
  models: null,
  decisions: [],
  loading: null,
  switching: null,
  error: null,
  setModels: (models) => set({ models }),
  addDecisions: (decisions) =>
    set((state) => ({ decisions: mergeSwitches(state.decisions, decisions).slice(-decisionLogLength) })),
  setLoading: (loading) => set({ loading }),
  setSwitching: (switching) => set({ switching }),
  setError: (error) => set({ error }),
}));
