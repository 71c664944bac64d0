import type { MaiClient } from './maiClient';

const barWidth = 24;

/** A bar of `fraction` (0..1) in block characters, as every progress line of the CLI draws it. Pure. */
export function textBar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * barWidth);
  return `${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
}
/** Piped output gets a line per quarter: enough to see a load move without flooding a log. */
const plainStepPercent = 25;

/**
 * Shows model loads on stderr (stdout stays the answer, for scripts): a bar redrawn in place with `\r` in a terminal,
 * plain lines otherwise. Returns the unsubscribe function.
 */
export function showLoadProgress(
  mai: Pick<MaiClient, 'subscribe'>,
  stream: NodeJS.WriteStream = process.stderr,
): () => void {
  let lastKey: string | null = null;
  let lastPercent = -1;
  return mai.subscribe('model.loadProgress', ({ key, fraction }) => {
    const percent = Math.floor(fraction * 100);
    if (key !== lastKey) lastPercent = -1;
    lastKey = key;
    if (stream.isTTY) {
      if (percent === lastPercent) return;
      const bar = textBar(percent / 100);
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
