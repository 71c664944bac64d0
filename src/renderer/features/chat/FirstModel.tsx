import type { PullProgressView, RecommendationView } from '../../../shared/contract';
import { formatBytes, formatDuration } from '../../../shared/format';
import { cancelPull, pullModel } from '../../actions';
import { useApi } from '../../apiContext';
import { isPulling, useDownloads } from '../../state/downloadsStore';

function PullProgress({ pull, name }: { pull: PullProgressView; name: string }) {
  const api = useApi();
  const fraction = pull.totalBytes ? pull.receivedBytes / pull.totalBytes : null;
  const parts =
    pull.phase === 'verifying'
      ? ['checking the sha256']
      : [
          fraction === null ? null : `${Math.floor(fraction * 100)}%`,
          `${formatBytes(pull.receivedBytes)}${pull.totalBytes ? ` / ${formatBytes(pull.totalBytes)}` : ''}`,
          pull.bytesPerSecond === null ? null : `${formatBytes(pull.bytesPerSecond)}/s`,
          pull.etaSeconds === null ? null : `${formatDuration(pull.etaSeconds)} left`,
        ];
  return (
    <div className="pull-progress" data-testid="pull-progress">
      <span className="pull-name">{name}</span>
      <progress value={fraction ?? undefined} max={1} aria-label={`Downloading ${name}`} />
      <span className="pull-figures">{parts.filter((p) => p !== null).join(' · ')}</span>
      <button type="button" data-testid="pull-cancel" onClick={() => void cancelPull(api)}>
        Cancel
      </button>
    </div>
  );
}

function Offer({ offer, label, busy }: { offer: RecommendationView; label: string; busy: boolean }) {
  const api = useApi();
  return (
    <button
      type="button"
      data-testid={`pull-${offer.key}`}
      disabled={busy}
      onClick={() => void pullModel(api, offer.key)}
    >
      {label}
    </button>
  );
}

/**
 * The first-run state: no model anywhere, so Mai offers the download that suits this machine best (and a few
 * others), fetches it with live progress, and is ready to chat once it is in.
 */
export function FirstModel() {
  const recommendations = useDownloads((s) => s.recommendations);
  const pull = useDownloads((s) => s.pull);
  const error = useDownloads((s) => s.error);
  if (recommendations === null) return null;
  const pulling = isPulling(pull);
  const best = recommendations.find((r) => r.fits) ?? null;
  // The rest of models.yaml's downloads, best first: a short, curated list, so all of it is offered.
  const others = recommendations.filter((r) => r !== best);
  const ended = pull && (pull.phase === 'failed' || pull.phase === 'cancelled') ? pull : null;
  return (
    <section className="first-model" aria-label="Get a model" data-testid="first-model">
      {best ? (
        <p className="first-model-offer">
          No models yet — get <strong>{best.displayName}</strong>, {formatBytes(best.sizeBytes)}, fits your machine.
        </p>
      ) : (
        <p className="first-model-offer">
          No models yet, and none of the downloads Mai knows fits this machine right now.
        </p>
      )}
      {best && <p className="first-model-reason">{best.reason}</p>}
      {pulling && pull ? (
        <PullProgress pull={pull} name={recommendations.find((r) => r.key === pull.key)?.displayName ?? pull.key} />
      ) : (
        best && (
          <Offer
            offer={best}
            busy={false}
            label={
              ended?.key === best.key && ended.phase === 'cancelled'
                ? `Resume ${best.displayName}`
                : `Get ${best.displayName}`
            }
          />
        )
      )}
      {ended && (
        <p role="status" className={`pull-ended pull-${ended.phase}`} data-testid="pull-ended">
          {ended.message}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {others.length > 0 && (
        <details className="first-model-others">
          <summary>Other models</summary>
          <ul>
            {others.map((offer) => (
              <li key={offer.key}>
                <span>
                  {offer.displayName} · {formatBytes(offer.sizeBytes)} · {offer.fits ? 'fits' : 'does not fit now'}
                </span>
                <Offer offer={offer} busy={pulling} label="Get" />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
