import { historyLength } from '../../store';

interface SparklineProps {
  /** Percentages 0..100, oldest first. */
  values: number[];
  label: string;
  testId: string;
}

const width = 300;
const height = 40;

/** Five minutes of one figure as an inline SVG line; the box never changes size, so nothing around it moves. */
export function Sparkline({ values, label, testId }: SparklineProps) {
  // Fixed slots: the newest point sits at the right edge and the line grows leftwards as history fills.
  const step = width / (historyLength - 1);
  const offset = historyLength - values.length;
  const points = values
    .map((v, i) => {
      const y = height - (Math.min(100, Math.max(0, v)) / 100) * height;
      return `${((offset + i) * step).toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${label}, last 5 minutes`}
      data-testid={testId}
      data-points={values.length}
    >
      <rect className="sparkline-bg" width={width} height={height} />
      <polyline points={points} fill="none" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
