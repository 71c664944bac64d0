import { Sparkline } from './Sparkline';

interface GaugeProps {
  label: string;
  percent: number;
  detail: string;
  testId: string;
  /** The last five minutes of this figure, in percent, oldest first. */
  history?: number[];
}

/** A labelled bar: fixed height and width so 1 Hz updates never shift the layout. */
export function Gauge({ label, percent, detail, testId, history }: GaugeProps) {
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
      </div>
      <div className="gauge-detail">{detail}</div>
      {history && <Sparkline values={history} label={label} testId={`${testId}-sparkline`} />}
    </div>
  );
}
