import { Sparkline, type SparkPoint } from './Sparkline';

interface GaugeProps {
  label: string;
  percent: number;
  detail: string;
  testId: string;
  /** The last five minutes of this figure, oldest first. */
  history?: SparkPoint[];
  /** The tier's threshold for it, drawn on the sparkline and as a mark on the bar. */
  thresholdPercent?: number | undefined;
}

/** A labelled bar: fixed height and width so 1 Hz updates never shift the layout. */
export function Gauge({ label, percent, detail, testId, history, thresholdPercent }: GaugeProps) {
  const clamped = Math.min(100, Math.max(0, percent));
  const level = clamped >= 90 ? 'critical' : clamped >= 75 ? 'high' : 'normal';
  return (
    <div className="gauge" data-testid={testId}>
      <div className="gauge-head">
        <span className="gauge-label">{label}</span>
        <span className="gauge-value" data-testid={`${testId}-percent`}>
          {Math.round(clamped)}%
        </span>
      </div>
      <div
        className="gauge-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped)}
      >
        <div className={`gauge-fill gauge-${level}`} style={{ width: `${clamped}%` }} />
        {thresholdPercent !== undefined && (
          <div
            className="gauge-threshold"
            style={{ left: `${thresholdPercent}%` }}
            title={`threshold ${thresholdPercent}%`}
          />
        )}
      </div>
      <div className="gauge-detail">{detail}</div>
      {history && (
        <Sparkline points={history} label={label} testId={`${testId}-sparkline`} thresholdPercent={thresholdPercent} />
      )}
    </div>
  );
}
