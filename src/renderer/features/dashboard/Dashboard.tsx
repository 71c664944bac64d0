import { useResources } from '../../store';
import { formatBytes } from '../../../shared/format';
import type { ResourceSample } from '../../../shared/contract';
import './dashboard.css';
import { CurrentModel } from './CurrentModel';
import { DecisionLog } from './DecisionLog';
import { Gauge } from './Gauge';
import { GpuGauge } from './GpuGauge';
import { HostsPanel } from './HostsPanel';
import { MemorySplit } from './MemorySplit';
import { ModelsTable } from './ModelsTable';

const vramPercent = (s: ResourceSample, index: number) => {
  const gpu = s.gpus.find((g) => g.index === index);
  return gpu && gpu.vramTotalBytes > 0 ? (gpu.vramUsedBytes / gpu.vramTotalBytes) * 100 : 0;
};

/** Live machine figures: what Mai sees when it chooses a model. */
export function Dashboard() {
  const latest = useResources((s) => s.latest);
  const status = useResources((s) => s.status);
  const history = useResources((s) => s.history);
  if (!latest) return <p className="muted">Waiting for the first sample…</p>;
  const { cpu, memory, swap, gpus } = latest;
  const usedMemoryBytes = memory.totalBytes - memory.availableBytes;
  const thresholds = status?.scalingThresholds;
  return (
    <section className="dashboard" aria-label="Resources" data-sample-at={latest.atMs}>
      <div className="gauges">
        <Gauge
          label={`CPU · ${cpu.cores} cores`}
          percent={cpu.percent}
          detail={
            cpu.maiPercent === undefined
              ? 'all cores'
              : `Mai ${Math.round(cpu.maiPercent)} % · other programs ${Math.round(Math.max(0, cpu.percent - cpu.maiPercent))} %`
          }
          testId="gauge-cpu"
          history={history.map((s) => ({ atMs: s.atMs, percent: s.cpu.percent }))}
          thresholdPercent={thresholds?.cpuPercent}
        />
        <Gauge
          label="RAM"
          percent={memory.usedPercent}
          detail={`${formatBytes(usedMemoryBytes)} used of ${formatBytes(memory.totalBytes)}`}
          testId="gauge-ram"
          history={history.map((s) => ({ atMs: s.atMs, percent: s.memory.usedPercent }))}
          thresholdPercent={thresholds?.memoryPercent}
        />
        {gpus.map((gpu) => (
          <GpuGauge
            key={gpu.index}
            gpu={gpu}
            history={history.map((s) => ({ atMs: s.atMs, percent: vramPercent(s, gpu.index) }))}
          />
        ))}
      </div>
      <MemorySplit
        totalBytes={memory.totalBytes}
        availableBytes={memory.availableBytes}
        maiBytes={memory.maiBytes}
        {...(memory.modelBytes === undefined ? {} : { modelBytes: memory.modelBytes })}
        {...(memory.modelIn === undefined ? {} : { modelIn: memory.modelIn })}
      />
      <dl className="figures">
        <dt>Total memory</dt>
        <dd data-testid="memory-total" data-bytes={memory.totalBytes} title={`${memory.totalBytes} bytes`}>
          {formatBytes(memory.totalBytes)}
        </dd>
        <dt>Available memory</dt>
        <dd data-testid="memory-available" data-bytes={memory.availableBytes}>
          {formatBytes(memory.availableBytes)}
        </dd>
        <dt>Mai itself</dt>
        <dd data-testid="memory-mai">{formatBytes(memory.maiBytes)}</dd>
        <dt>Swap</dt>
        <dd>{swap.totalBytes > 0 ? `${formatBytes(swap.usedBytes)} of ${formatBytes(swap.totalBytes)}` : 'none'}</dd>
        <dt>GPUs</dt>
        <dd data-testid="gpu-count">{gpus.length === 0 ? 'none detected' : gpus.map((g) => g.name).join(', ')}</dd>
        {status?.tier && (
          <>
            <dt>Tier</dt>
            <dd data-testid="tier" title={status.tier.reasons.join('\n')}>
              {status.tier.name}
            </dd>
          </>
        )}
      </dl>
      <CurrentModel />
      <ModelsTable />
      <HostsPanel />
      <DecisionLog />
    </section>
  );
}
