import type { ModelListing } from '../shared/contract';
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

/** `mai models`: one row per model, columns padded to the widest cell. */
export function modelsTable(models: readonly ModelListing[]): string {
  const header = ['KEY', 'BACKEND', 'CATEGORY', 'SIZE', 'CONTEXT', 'ESTIMATE', 'FITS', 'REASON'];
  const rows = models.map((m) => [
    m.key,
    m.backend,
    m.category,
    formatBytes(m.sizeBytes),
    m.estimate ? `${m.estimate.contextLength}/${m.contextWindow ?? '?'}` : String(m.contextWindow ?? '?'),
    estimateText(m),
    fitText(m),
    m.reason,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
