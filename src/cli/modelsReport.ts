import type { ModelListing, RecommendationView } from '../shared/contract';
import { formatBytes } from '../shared/format';

function estimateText(model: ModelListing): string {
  if (!model.estimate) return '—';
  const vram = model.estimate.vramBytes > 0 ? ` + ${formatBytes(model.estimate.vramBytes)} VRAM` : '';
  return `${formatBytes(model.estimate.ramBytes)}${vram}`;
}

function fitText(model: ModelListing): string {
  if (!model.usable) return 'unusable';
  if (model.loaded) return 'loaded';
  return model.fits ? 'yes' : 'no';
}

/** Rows padded to the widest cell of each column; the last column runs free. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `mai models --recommended`: what to download, best first, and the command that gets the best one. */
export function recommendationsTable(recommendations: readonly RecommendationView[]): string {
  if (recommendations.length === 0) {
    return 'Nothing to recommend: every model with a download in models.yaml is already here (mai models lists them).\n';
  }
  const rows = recommendations.map((r) => [
    r.key,
    r.category,
    formatBytes(r.sizeBytes),
    `${formatBytes(r.estimate.ramBytes)}${r.estimate.vramBytes > 0 ? ` + ${formatBytes(r.estimate.vramBytes)} VRAM` : ''}`,
    r.fits ? 'yes' : 'no',
    r.reason,
  ]);
  const best = recommendations[0];
  const next = best?.fits
    ? `\nGet ${best.displayName} (${formatBytes(best.sizeBytes)}, fits your machine): mai pull ${best.key}\n`
    : '\nNone of them fits this machine as it is now; free some memory, or pull one anyway: mai pull <key>\n';
  return table(['KEY', 'CATEGORY', 'SIZE', 'NEEDS', 'FITS', 'REASON'], rows) + next;
}

/** A host's model costs this machine nothing: what it needs there is the figure a person wants. */
function needsText(model: ModelListing): string {
  if (!model.host) return estimateText(model);
  return model.host.needsBytes === null ? '?' : `${formatBytes(model.host.needsBytes)} there`;
}

function row(m: ModelListing): string[] {
  return [
    m.key,
    m.backend,
    m.category,
    m.sizeBytes > 0 ? formatBytes(m.sizeBytes) : '?',
    m.estimate ? `${m.estimate.contextLength}/${m.contextWindow ?? '?'}` : String(m.contextWindow ?? '?'),
    needsText(m),
    fitText(m),
    m.reason,
  ];
}

/**
 * `mai models`: one row per model, columns padded to the widest cell, grouped by where the models run: this machine
 * first, then each host under its name. Without hosts it is one table, as it always was.
 */
export function modelsTable(models: readonly ModelListing[]): string {
  const header = ['KEY', 'BACKEND', 'CATEGORY', 'SIZE', 'CONTEXT', 'ESTIMATE', 'FITS', 'REASON'];
  const places = [...new Set(models.map((m) => m.host?.name ?? null))].sort((a, b) =>
    a === null ? -1 : b === null ? 1 : a.localeCompare(b),
  );
  if (places.length === 1 && places[0] === null) return table(header, models.map(row));
  // One table, so the columns line up across groups; each group's rows follow a line naming where they run.
  const lines = table(header, models.map(row)).split('\n');
  const rowOf = new Map(models.map((m, index) => [m, lines[index + 1] ?? '']));
  const out = [lines[0] ?? ''];
  for (const place of places) {
    const here = models.filter((m) => (m.host?.name ?? null) === place);
    out.push('', place === null ? 'This machine:' : `${place}:`, ...here.map((m) => rowOf.get(m) ?? ''));
  }
  return out.join('\n') + '\n';
}
