import type { ModelListing } from '../../../shared/contract';
import { engineName } from '../../backendNames';
import { formatBytes } from '../../../shared/format';
import { switchModel } from '../../actions';
import { useApi } from '../../apiContext';
import { useModels } from '../../state/modelsStore';
import { useResources } from '../../store';

function fitMarker(model: ModelListing): { symbol: string; text: string } {
  if (!model.usable) return { symbol: '✕', text: 'unusable' };
  return model.fits ? { symbol: '✓', text: 'fits' } : { symbol: '!', text: 'does not fit' };
}

/** Every model Mai knows, whether it fits now and why; pin one, or hand the choice back to Mai. */
export function ModelsTable() {
  const api = useApi();
  const models = useModels((s) => s.models);
  const switching = useModels((s) => s.switching);
  const error = useModels((s) => s.error);
  const state = useResources((s) => s.status?.model);
  const pinnedKey = state?.pinnedKey ?? null;
  return (
    <section className="panel models" aria-label="Models">
      <div className="panel-head">
        <h2>Models</h2>
        <button
          type="button"
          data-testid="model-auto"
          aria-pressed={state?.mode === 'auto'}
          disabled={switching !== null || state?.mode === 'auto'}
          onClick={() => void switchModel(api, 'auto')}
        >
          Automatic
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {models === null ? (
        <p className="muted">Asking Mai…</p>
      ) : models.length === 0 ? (
        <p className="muted" data-testid="no-models">
          No models found. Mai looks in LM Studio and for GGUF files in LM Studio’s models folders, its own models
          folder and MAI_MODELS_DIR. The Chat tab offers models to download that fit this machine.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Model</th>
              <th>Backend</th>
              <th>Size</th>
              <th>Estimate (RAM / VRAM)</th>
              <th>Fit</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.map((m) => {
              const fit = fitMarker(m);
              return (
                <tr
                  key={`${m.backend}:${m.key}`}
                  data-testid={`model-row-${m.key}`}
                  className={m.loaded ? 'loaded' : ''}
                >
                  <td title={m.key}>
                    {m.displayName}
                    {m.loaded && <span className="muted"> · loaded</span>}
                  </td>
                  <td>{engineName(m.backend)}</td>
                  <td>{formatBytes(m.sizeBytes)}</td>
                  <td>
                    {m.estimate ? `${formatBytes(m.estimate.ramBytes)} / ${formatBytes(m.estimate.vramBytes)}` : '—'}
                  </td>
                  <td
                    title={m.reason}
                    data-testid={`fit-${m.key}`}
                    className={`fit fit-${fit.text.replace(/ /g, '-')}`}
                  >
                    {fit.symbol} {fit.text}
                  </td>
                  <td>
                    <button
                      type="button"
                      data-testid={`pin-${m.key}`}
                      disabled={!m.usable || switching !== null || pinnedKey === m.key}
                      onClick={() => void switchModel(api, m.key)}
                    >
                      {switching === m.key ? 'Switching…' : pinnedKey === m.key ? 'Pinned' : 'Use'}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
