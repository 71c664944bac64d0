import type { ChatResultView } from '../shared/contract';

/**
 * The line under every answer in the terminal: which model wrote it, on which engine, how fast. An answer handed
 * on mid-way names each model in order: "— stories260k (lmstudio) → stories260K (embedded, 900 tokens/s)".
 */
export function answerFooter(result: Pick<ChatResultView, 'model' | 'stats' | 'segments'>): string {
  const speed = result.stats.tokensPerSecond === null ? '' : `, ${result.stats.tokensPerSecond.toFixed(0)} tokens/s`;
  const before = (result.segments ?? []).slice(0, -1).map((s) => `${s.model.key} (${s.model.backend}) → `);
  return `— ${before.join('')}${result.model.key} (${result.model.backend}${speed})`;
}
