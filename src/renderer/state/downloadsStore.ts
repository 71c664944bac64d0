import { create } from 'zustand';
import type { PullProgressView, RecommendationView } from '../../shared/contract';

export interface DownloadsState {
  /** null until models.recommended has answered once. */
  recommendations: RecommendationView[] | null;
  /** The pull in progress, or the last one's end (failed / cancelled / done) until another starts. */
  pull: PullProgressView | null;
  /** A pull request that failed before any progress (an unknown key, a busy downloader). */
  error: string | null;
  setRecommendations(recommendations: RecommendationView[]): void;
  setPull(pull: PullProgressView | null): void;
  setError(error: string | null): void;
}

export const useDownloads = create<DownloadsState>()((set) => ({
  recommendations: null,
  pull: null,
  error: null,
  setRecommendations: (recommendations) => set({ recommendations }),
  setPull: (pull) => set({ pull }),
  setError: (error) => set({ error }),
}));

/** Whether a pull is running now (its last event is not an end). */
export function isPulling(pull: PullProgressView | null): boolean {
  return pull !== null && (pull.phase === 'downloading' || pull.phase === 'verifying');
}
