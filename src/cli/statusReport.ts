import type { BackendStatus, HostStatus, Status } from '../shared/contract';
import { formatBytes } from '../shared/format';

const backendNames = {
  lmstudio: 'LM Studio',
  embedded: 'Embedded',
  ollama: 'Ollama',
  openai: 'OpenAI-compatible',
} as const;

/**
 * `mai status --json`: a stable shape for scripts, the status figures without the app header.
 */
export function statusJson(status: Status) {
  const { cpu, memory, swap, gpus } = status.resources;
  return {
    version: status.app.version,
    resources: { cpu, memory, swap, gpus },
    tier: status.tier,
    config: status.config,
    backends: status.backends,
    /** Every host of every engine, flat, for scripts that ask "is studio-pc up?". */
    hosts: hostsOf(status.backends),
    model: status.model,
    decisions: status.decisions,
    personality: status.personality,
  };
}

/** Every host of every engine, in the engines' order. */
export function hostsOf(backends: readonly BackendStatus[]): HostStatus[] {
  return backends.flatMap((backend) => backend.hosts ?? []);
}

/** "ready: 2 models (1 loaded), 4.2 GiB used of 64 GiB; Ollama at http://…", or why it is not there. */
export function hostText(host: HostStatus): string {
  const where = `${backendNames[host.kind]} at ${host.url}`;
  if (host.status !== 'ready') return `${host.status}: ${host.detail}`;
  const { usedBytes, capacityBytes } = host.memory;
  const memory =
    usedBytes === null && capacityBytes === null
      ? ''
      : `, ${usedBytes === null ? '?' : formatBytes(usedBytes)} used of ${capacityBytes === null ? '?' : formatBytes(capacityBytes)}`;
  return `ready: ${host.models} models (${host.loaded} loaded)${memory}; ${where}`;
}

/** `mai status`: a table a person reads in one glance. */
export function statusTable(status: Status): string {
  const { cpu, memory, swap, gpus } = status.resources;
  const rows: [string, string][] = [
    ['CPU', `${cpu.percent.toFixed(0)}% of ${cpu.cores} cores`],
    [
      'Memory',
      `${formatBytes(memory.availableBytes)} available of ${formatBytes(memory.totalBytes)} (${memory.usedPercent.toFixed(0)}% used)`,
    ],
    ['Mai itself', formatBytes(memory.maiBytes)],
    ['Swap', swap.totalBytes > 0 ? `${formatBytes(swap.usedBytes)} used of ${formatBytes(swap.totalBytes)}` : 'none'],
  ];
  if (gpus.length === 0) rows.push(['GPU', 'none detected']);
  for (const gpu of gpus) {
    const extras = [
      gpu.utilizationPercent === null ? null : `${gpu.utilizationPercent.toFixed(0)}% busy`,
      gpu.temperatureC === null ? null : `${gpu.temperatureC.toFixed(0)} °C`,
    ].filter(Boolean);
    rows.push([
      `GPU ${gpu.index}`,
      `${gpu.name}: ${formatBytes(gpu.vramUsedBytes)} used of ${formatBytes(gpu.vramTotalBytes)}${extras.length ? `, ${extras.join(', ')}` : ''}`,
    ]);
  }
  for (const backend of status.backends) {
    rows.push([backendNames[backend.id], `${backend.status}: ${backend.detail}`]);
    for (const host of backend.hosts ?? []) rows.push([`Host ${host.name}`, hostText(host)]);
  }
  rows.push(['Tier', status.tier ? status.tier.name : 'not detected']);
  const current = status.model.current;
  rows.push([
    'Model',
    `${current ? `${current.key} (${current.backend}, ${current.contextLength} tokens)` : 'none loaded'}, ${status.model.mode}`,
  ]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `Mai ${status.app.version} — ${status.personality}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ];
  const tierLine = lines.findIndex((line) => line.startsWith(`  ${'Tier'.padEnd(width)}`));
  lines.splice(tierLine + 1, 0, ...(status.tier?.reasons ?? []).map((reason) => `  ${''.padEnd(width)}  · ${reason}`));
  if (status.decisions.length > 0) {
    lines.push('', 'Recent decisions:');
    for (const d of status.decisions.slice(-5)) {
      lines.push(`  ${new Date(d.atMs).toISOString()} ${d.from ?? '—'} → ${d.to ?? '—'} (${d.trigger}): ${d.reason}`);
    }
  }
  if (status.config.errors.length > 0) {
    lines.push('', 'Configuration problems (defaults in use):');
    for (const e of status.config.errors) {
      lines.push(`  ${e.file}${e.line === null ? '' : `:${e.line}`} ${e.path}: ${e.message}`);
    }
  }
  return lines.join('\n') + '\n';
}
