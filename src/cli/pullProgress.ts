import type { MaiClient } from './maiClient';
import type { PullProgressView } from '../shared/contract';
import { formatBytes, formatDuration } from '../shared/format';
import { textBar } from './loadProgress';

/** Piped output gets a line per tenth: a log shows the pull moving without a line per packet. */
const plainStepPercent = 10;

/** One progress line: bar, percent, bytes, rate and ETA (bar and percent only when the size is known). Pure. */
export function pullProgressLine(progress: PullProgressView, withBar: boolean): string {
  const { key, receivedBytes, totalBytes, bytesPerSecond } = progress;
  if (progress.phase === 'verifying') return `verifying ${key} (sha256 of ${formatBytes(receivedBytes)})`;
  const fraction = totalBytes ? Math.min(1, receivedBytes / totalBytes) : null;
  const percent = fraction === null ? '' : ` ${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const bar = withBar && fraction !== null ? ` ${textBar(fraction)}` : '';
  const bytes = `${formatBytes(receivedBytes)}${totalBytes ? ` / ${formatBytes(totalBytes)}` : ''}`;
  const rate = bytesPerSecond === null ? '' : ` · ${formatBytes(bytesPerSecond)}/s`;
  return `downloading ${key}${bar}${percent} · ${bytes}${rate} · ETA ${formatDuration(progress.etaSeconds)}`;
}

/**
 * Shows a pull on stderr (stdout stays the result, for scripts): a bar redrawn in place in a terminal, a line per
 * tenth otherwise. Returns the unsubscribe function.
 */
export function showPullProgress(
  mai: Pick<MaiClient, 'subscribe'>,
  stream: NodeJS.WriteStream = process.stderr,
): () => void {
  let lastStep = -1;
  let drawn = false;
  return mai.subscribe('model.pullProgress', (progress) => {
    if (progress.phase === 'failed' || progress.phase === 'cancelled' || progress.phase === 'done') {
      if (drawn && stream.isTTY) stream.write('\n');
      drawn = false;
      return;
    }
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${pullProgressLine(progress, true)}`);
      drawn = true;
      return;
    }
    const percent = progress.totalBytes ? Math.floor((progress.receivedBytes / progress.totalBytes) * 100) : 0;
    const step = progress.phase === 'verifying' ? 101 : Math.floor(percent / plainStepPercent) * plainStepPercent;
    if (step <= lastStep) return;
    lastStep = step;
    stream.write(`${pullProgressLine(progress, false)}\n`);
  });
}
