import type { ProfilerOnRenderCallback } from 'react';

/**
 * How often each chat row rendered, counted by React's Profiler (rows and the streaming answer are each wrapped in
 * one, inside their memo, so a row that skipped rendering counts nothing). It is how MessageList.renders.test.tsx
 * shows (and prints, fragment by fragment) that a fragment re-renders the answer being written and no history row. React calls Profiler
 * callbacks in development and profiling builds only: the shipped app pays nothing.
 */
export const renderCounts = new Map<string, number>();

export const countRender: ProfilerOnRenderCallback = (id) => {
  renderCounts.set(id, (renderCounts.get(id) ?? 0) + 1);
};

/** The Profiler id of the streaming answer's row. */
export const streamingRowId = 'streaming-answer';
