import type { Status } from '../shared/contract';

const gib = 1024 ** 3;

function gibText(bytes: number): string {
  return `${(bytes / gib).toFixed(1)} GiB`;
}

/**
 * `mai status --json`: a stable shape for scripts, the status figures without the app header.
 * Later issues add backends and the model here.
 */
export function statusJson(status: Status) {
  const { cpu, memory, swap, gpus } = status.resources;
  return {
    version: status.app.version,
    resources: { cpu, memory, swap, gpus },
    tier: status.tier,
    config: status.config,
  };
}

/** `mai status`: a table a person reads in one glance. */
export function statusTable(status: Status): string {
  const { cpu, memory, swap, gpus } = status.resources;
  const rows: [string, string][] = [
    ['CPU', `${cpu.percent.toFixed(0)}% of ${cpu.cores} cores`],
    [
      'Memory',
      `${gibText(memory.availableBytes)} available of ${gibText(memory.totalBytes)} (${memory.usedPercent.toFixed(0)}% used)`,
    ],
    ['Mai itself', gibText(memory.maiBytes)],
    ['Swap', swap.totalBytes > 0 ? `${gibText(swap.usedBytes)} used of ${gibText(swap.totalBytes)}` : 'none'],
  ];
  if (gpus.length === 0) rows.push(['GPU', 'none detected']);
  for (const gpu of gpus) {
    const extras = [
      gpu.utilizationPercent === null ? null : `${gpu.utilizationPercent.toFixed(0)}% busy`,
      gpu.temperatureC === null ? null : `${gpu.temperatureC.toFixed(0)} °C`,
    ].filter(Boolean);
    rows.push([
      `GPU ${gpu.index}`,
      `${gpu.name}: ${gibText(gpu.vramUsedBytes)} used of ${gibText(gpu.vramTotalBytes)}${extras.length ? `, ${extras.join(', ')}` : ''}`,
    ]);
  }
  rows.push(['Tier', status.tier ? status.tier.name : 'not detected']);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`Mai ${status.app.version}`, ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)];
  for (const reason of status.tier?.reasons ?? []) lines.push(`  ${''.padEnd(width)}  · ${reason}`);
  if (status.config.errors.length > 0) {
    lines.push('', 'Configuration problems (defaults in use):');
    for (const e of status.config.errors) {
      lines.push(`  ${e.file}${e.line === null ? '' : `:${e.line}`} ${e.path}: ${e.message}`);
    }
  }
  return lines.join('\n') + '\n';
}
