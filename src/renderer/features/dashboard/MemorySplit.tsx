import { formatBytes } from '../../../shared/format';
import { memorySplit, type MemoryFigures } from './memorySplit';

/** The machine's memory as one stacked bar: what Mai holds, what other programs hold, what is free. */
export function MemorySplit(figures: MemoryFigures) {
  const segments = memorySplit(figures);
  const total = figures.totalBytes || 1;
  return (
    <section className="panel memory-split" aria-label="Memory split" data-testid="memory-split">
      <h2>Memory</h2>
      <div
        className="split-bar"
        role="img"
        aria-label={segments.map((s) => `${s.label} ${formatBytes(s.bytes)}`).join(', ')}
      >
        {segments.map((s) => (
          <div
            key={s.key}
            className={`split-segment split-${s.key}`}
            data-testid={`split-${s.key}`}
            data-bytes={s.bytes}
            style={{ width: `${(s.bytes / total) * 100}%` }}
            title={`${s.label}: ${formatBytes(s.bytes)}`}
          />
        ))}
      </div>
      <ul className="split-legend">
        {segments.map((s) => (
          <li key={s.key}>
            <span className={`split-swatch split-${s.key}`} aria-hidden />
            {s.label} <strong>{formatBytes(s.bytes)}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}
