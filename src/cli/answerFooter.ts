import type { ChatResultView } from '../shared/contract';

/** The line under every answer in the terminal: which model wrote it, on which engine, how fast. */
export function answerFooter(result: Pick<ChatResultView, 'model' | 'stats'>): string {
  const speed = result.stats.tokensPerSecond === null ? '' : `, ${result.stats.tokensPerSecond.toFixed(0)} tokens/s`;
  return `— ${result.model.key} (${result.model.backend}${speed})`;
}
