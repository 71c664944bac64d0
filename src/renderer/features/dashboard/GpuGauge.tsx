import type { GpuSample } from '../../../shared/contract';
import { formatBytes } from '../../../shared/format';
import { Sparkline, type SparkPoint } from './Sparkline';

/** A percentage as a meter whose colour says how close to full it is. */
function Meter({ label, percent, testId }: { label: string; percent: number; testId: string }) {
  const clamped = Math.min(100, Math.max(0, percent));
  const level = clamped >= 90 ? 'critical' : clamped >= 75 ? 'high' : 'normal';
  return (
    <div
      className="gauge-track"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(clamped)}
      data-testid={testId}
    >
      <div className={`gauge-fill gauge-${level}`} style={{ width: `${clamped}%` }} />
    </div>
  );
}

/**
 * One GPU: VRAM used of total, how busy it is and how warm, with VRAM over the last minutes. A card the kernel put
 * to sleep is labelled so (Mai did not read it, which would have woken it): its figures are from before it slept.
 */
export function GpuGauge({ gpu, history }: { gpu: GpuSample; history: SparkPoint[] }) {
  const testId = `gauge-vram-${gpu.index}`;
  const vramPercent = gpu.vramTotalBytes > 0 ? (gpu.vramUsedBytes / gpu.vramTotalBytes) * 100 : 0;
  return (
    <div className="gauge gpu-gauge" data-testid={testId} data-asleep={gpu.asleep ? 'true' : undefined}>
      <div className="gauge-head">
        <span className="gauge-label" title={gpu.name}>
          GPU {gpu.index} · {gpu.name}
        </span>
        {gpu.asleep && (
          <span className="gpu-asleep muted" data-testid={`gpu-${gpu.index}-asleep`} title="Not read, so it can sleep">
            asleep
          </span>
        )}
        <span className="gauge-value" data-testid={`${testId}-percent`}>
          {Math.round(Math.min(100, vramPercent))}%
        </span>
      </div>
      <Meter label={`VRAM of GPU ${gpu.index}`} percent={vramPercent} testId={`${testId}-meter`} />
      <div className="gauge-detail" data-testid={`${testId}-detail`}>
        VRAM {formatBytes(gpu.vramUsedBytes)} of {formatBytes(gpu.vramTotalBytes)}
      </div>
      <dl className="gpu-figures">
        <dt>Busy</dt>
        <dd data-testid={`gpu-${gpu.index}-utilization`}>
          {gpu.utilizationPercent === null ? 'n/a' : `${Math.round(gpu.utilizationPercent)}%`}
        </dd>
        <dt>Temperature</dt>
        <dd data-testid={`gpu-${gpu.index}-temperature`}>
          {gpu.temperatureC === null ? 'n/a' : `${Math.round(gpu.temperatureC)} °C`}
        </dd>
      </dl>
      {gpu.utilizationPercent !== null && (
        <Meter
          label={`Utilisation of GPU ${gpu.index}`}
          percent={gpu.utilizationPercent}
          testId={`gpu-${gpu.index}-busy-meter`}
        />
      )}
      <Sparkline points={history} label={`VRAM of GPU ${gpu.index}`} testId={`${testId}-sparkline`} />
    </div>
  );
}
