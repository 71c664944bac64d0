import type { ResourceSample } from '../shared/contract';

/** What the tray shows, derived from state alone so it can be tested without Electron. */
export interface TrayState {
  version: string;
  sample: ResourceSample | null;
}

export type TrayAction = 'open-dashboard' | 'quit';

export type TrayMenuItem =
  { type: 'separator' } | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction };

const gigabyte = 1e9;

function gb(bytes: number): string {
  return (bytes / gigabyte).toFixed(1);
}

/** One line a person reads at a glance: `CPU 23% · RAM 9.1/16.0 GB · VRAM 3.2/8.0 GB`. */
export function resourceSummary(sample: ResourceSample | null): string {
  if (!sample) return 'Measuring…';
  const { cpu, memory, gpus } = sample;
  const parts = [
    `CPU ${Math.round(cpu.percent)}%`,
    `RAM ${gb(memory.totalBytes - memory.availableBytes)}/${gb(memory.totalBytes)} GB`,
  ];
  const vramTotalBytes = gpus.reduce((sum, g) => sum + g.vramTotalBytes, 0);
  if (gpus.length > 0) {
    const vramUsedBytes = gpus.reduce((sum, g) => sum + g.vramUsedBytes, 0);
    parts.push(`VRAM ${gb(vramUsedBytes)}/${gb(vramTotalBytes)} GB`);
  }
  return parts.join(' · ');
}

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  return [
    { type: 'normal', label: `Mai ${state.version}`, enabled: false },
    { type: 'normal', label: resourceSummary(state.sample), enabled: false },
    { type: 'separator' },
    { type: 'normal', label: 'Open dashboard', enabled: true, action: 'open-dashboard' },
    { type: 'separator' },
    { type: 'normal', label: 'Quit Mai', enabled: true, action: 'quit' },
  ];
}
