/** One point of a sparkline: when, and the figure in percent. */
export interface SparkPoint {
  atMs: number;
  percent: number;
}

interface SparklineProps {
  /** Oldest first. */
  points: SparkPoint[];
  label: string;
  testId: string;
  /** The tier's threshold for this figure, drawn as a dashed line; above it, sustained, Mai switches down. */
  thresholdPercent?: number | undefined;
  /** The span shown, ending at the newest point. */
  windowMs?: number;
}

const width = 300;
const height = 40;
const defaultWindowMs = 5 * 60 * 1000;
/** A tick a minute along the time axis. */
const tickMs = 60 * 1000;

const y = (percent: number) => height - (Math.min(100, Math.max(0, percent)) / 100) * height;

/**
 * A figure over the last minutes as an inline SVG line, placed by time (a gap in sampling shows as a gap, not as a
 * squeeze), with a minute grid, "now" at the right edge and the tier's threshold. The box never changes size, so
 * nothing around it moves.
 */
export function Sparkline({ points, label, testId, thresholdPercent, windowMs = defaultWindowMs }: SparklineProps) {
  const nowMs = points.at(-1)?.atMs ?? 0;
  const x = (atMs: number) => Math.max(0, width - ((nowMs - atMs) / windowMs) * width);
  const line = points.map((p) => `${x(p.atMs).toFixed(1)},${y(p.percent).toFixed(1)}`).join(' ');
  const ticks = Array.from(
    { length: Math.floor(windowMs / tickMs) + 1 },
    (_, i) => width - (i * tickMs * width) / windowMs,
  );
  const minutes = Math.round(windowMs / tickMs);
  return (
    <figure className="sparkline-figure">
      <svg
        className="sparkline"
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}, last ${minutes} minutes${thresholdPercent === undefined ? '' : `, threshold ${thresholdPercent}%`}`}
        data-testid={testId}
        data-points={points.length}
      >
        <rect className="sparkline-bg" width={width} height={height} />
        {ticks.map((tickX) => (
          <line
            key={tickX}
            className="sparkline-tick"
            x1={tickX}
            x2={tickX}
            y1={0}
            y2={height}
            vectorEffect="non-scaling-stroke"
          />
        ))}
        {thresholdPercent !== undefined && (
          <line
            className="sparkline-threshold"
            data-testid={`${testId}-threshold`}
            data-percent={thresholdPercent}
            x1={0}
            x2={width}
            y1={y(thresholdPercent)}
            y2={y(thresholdPercent)}
            vectorEffect="non-scaling-stroke"
          />
        )}
        <polyline points={line} fill="none" vectorEffect="non-scaling-stroke" />
      </svg>
      <figcaption className="sparkline-axis" aria-hidden>
        <span>−{minutes} min</span>
        {thresholdPercent !== undefined && (
          <span className="sparkline-threshold-label">threshold {thresholdPercent}%</span>
        )}
        <span>now</span>
      </figcaption>
    </figure>
  );
}
