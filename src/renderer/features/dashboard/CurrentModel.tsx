import { formatBytes } from '../../../shared/format';
import { engineName } from '../../backendNames';
import { useModels } from '../../state/modelsStore';
import { useResources } from '../../store';

/** The model Mai uses now: backend, context, its memory estimate beside what the process really holds. */
export function CurrentModel() {
  const model = useResources((s) => s.status?.model);
  const maiBytes = useResources((s) => s.latest?.memory.maiBytes);
  const models = useModels((s) => s.models);
  const loading = useModels((s) => s.loading);
  if (!model) return null;
  const current = model.current;
  // A pinned model loads with the next message; until then `current` still names the one before it.
  const pinned = model.pinnedKey;
  const listing = current ? models?.find((m) => m.key === current.key) : undefined;
  return (
    <section className="panel current-model" aria-label="Current model">
      <h2>Model</h2>
      <dl className="figures-inline">
        <dt>Now</dt>
        <dd data-testid="current-model">{current ? (listing?.displayName ?? current.key) : 'none loaded'}</dd>
        {pinned && pinned !== current?.key && (
          <>
            <dt>Next</dt>
            <dd data-testid="model-next">{pinned} (pinned; loads with the next message)</dd>
          </>
        )}
        <dt>Mode</dt>
        <dd data-testid="model-mode">{model.mode === 'auto' ? 'automatic' : 'pinned'}</dd>
        {current && (
          <>
            <dt>Backend</dt>
            <dd>{engineName(current.backend)}</dd>
            <dt>Context</dt>
            <dd>{current.contextLength.toLocaleString()} tokens</dd>
          </>
        )}
        {listing?.estimate && (
          <>
            <dt>Estimate</dt>
            <dd data-testid="model-estimate">
              RAM {formatBytes(listing.estimate.ramBytes)} · VRAM {formatBytes(listing.estimate.vramBytes)} (
              {listing.estimate.method})
            </dd>
          </>
        )}
        {current?.backend === 'embedded' && maiBytes !== undefined && (
          <>
            <dt>Mai process now</dt>
            <dd title="The embedded engine runs inside Mai, so this includes the model">{formatBytes(maiBytes)}</dd>
          </>
        )}
        <dt>Why</dt>
        <dd className="muted">{model.reason}</dd>
      </dl>
      <div className="load-progress" aria-hidden={!loading}>
        {loading && (
          <>
            <span>Loading {loading.key}…</span>
            <progress data-testid="load-progress" max={1} value={loading.fraction} />
          </>
        )}
      </div>
    </section>
  );
}
