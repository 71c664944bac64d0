import type { Brain } from '../brain';

const barWidth = 24;
/** Piped output gets a line per quarter: enough to see a load move without flooding a log. */
const plainStepPercent = 25;

/**
 * Shows model loads on stderr (stdout stays the answer, for scripts): a bar redrawn in place with `\r` in a terminal,
 * plain lines otherwise. Returns the unsubscribe function.
 */
export function showLoadProgress(brain: Brain, stream: NodeJS.WriteStream = process.stderr): () => void {
  let lastKey: string | null = null;
  let lastPercent = -1;
  return brain.subscribe('model.loadProgress', ({ key, fraction }) => {
    const percent = Math.floor(fraction * 100);
    if (key !== lastKey) lastPercent = -1;
    lastKey = key;
    if (stream.isTTY) {
      if (percent === lastPercent) return;
      const filled = Math.round((percent / 100) * barWidth);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
      stream.write(`\rloading ${key} ${bar} ${String(percent).padStart(3)}%${percent >= 100 ? '\n' : ''}`);
    } else {
      const step = percent >= 100 ? 100 : Math.floor(percent / plainStepPercent) * plainStepPercent;
      if (step <= lastPercent) return;
      stream.write(`loading ${key}: ${step}%\n`);
      lastPercent = step;
      return;
    }
    lastPercent = percent;
  });
}
