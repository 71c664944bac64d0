import type { ModelListing, ModelState, Mood, ResourceSample } from '../shared/contract';

/** What the tray shows, derived from state alone so it can be tested without Electron. */
export interface TrayState {
  version: string;
  sample: ResourceSample | null;
  /** null until the brain has answered once. */
  model: ModelState | null;
  models: ModelListing[];
  /** Mai's one-line status in its own voice (status.personality). */
  personality: string;
  /** How close the machine is to the tier's thresholds (status.mood); null until the brain has answered. */
  mood: Mood | null;
  /** "Start at login": offered only where it can work (an installed app); off until the person turns it on. */
  startAtLogin: { available: boolean; enabled: boolean };
}

/**
 * Which model is pinned now, or null while Mai chooses: the brain's own `pinnedKey` (a pinned model loads with the
 * next message, so until then `model.current` still names the one before it).
 */
function pinnedKeyOf(state: Pick<TrayState, 'model'>): string | null {
  return state.model?.mode === 'pinned' ? state.model.pinnedKey : null;
}

export type TrayAction =
  | { kind: 'open-chat' }
  | { kind: 'open-dashboard' }
  | { kind: 'switch'; key: string }
  | { kind: 'toggle-pause' }
  | { kind: 'toggle-start-at-login' }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'checkbox' | 'radio'; label: string; enabled: boolean; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; enabled: boolean; submenu: TrayMenuItem[] };

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

/** `Mai — stories260K (auto)`; before the first answer, the version. */
export function trayTitle(state: Pick<TrayState, 'version' | 'model'>): string {
  if (!state.model) return `Mai ${state.version}`;
  const name = pinnedKeyOf(state) ?? state.model.current?.key ?? 'no model';
  return `Mai — ${name} (${state.model.mode === 'auto' ? 'auto' : 'pinned'})`;
}

/** ✓ fits, ! does not fit now: the same markers as the dashboard's models table. */
function fitLabel(model: ModelListing): string {
  return `${model.fits ? '✓' : '!'} ${model.displayName}`;
}

function modelsSubmenu(state: TrayState): TrayMenuItem[] {
  const auto = state.model?.mode !== 'pinned';
  const pinnedKey = pinnedKeyOf(state);
  return [
    { type: 'radio', label: 'Automatic', enabled: true, checked: auto, action: { kind: 'switch', key: 'auto' } },
    { type: 'separator' },
    ...state.models
      .filter((m) => m.usable)
      .map((m): TrayMenuItem => ({
        type: 'radio',
        label: fitLabel(m),
        enabled: true,
        checked: m.key === pinnedKey,
        action: { kind: 'switch', key: m.key },
      })),
  ];
}

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  const paused = state.model?.mode === 'pinned';
  return [
    { type: 'normal', label: trayTitle(state), enabled: false },
    { type: 'normal', label: resourceSummary(state.sample), enabled: false },
    { type: 'separator' },
    { type: 'submenu', label: 'Models', enabled: state.model !== null, submenu: modelsSubmenu(state) },
    {
      type: 'checkbox',
      label: 'Pause automatic switching',
      // Pausing pins the current model; there is nothing to pin before one is loaded.
      enabled: paused || Boolean(state.model?.current),
      checked: paused,
      action: { kind: 'toggle-pause' },
    },
    { type: 'separator' },
    { type: 'normal', label: 'Open chat', enabled: true, action: { kind: 'open-chat' } },
    { type: 'normal', label: 'Dashboard', enabled: true, action: { kind: 'open-dashboard' } },
    { type: 'separator' },
    {
      type: 'checkbox',
      label: 'Start at login',
      enabled: state.startAtLogin.available,
      checked: state.startAtLogin.enabled,
      action: { kind: 'toggle-start-at-login' },
    },
    { type: 'normal', label: 'Quit Mai', enabled: true, action: { kind: 'quit' } },
  ];
}

/** The tooltip: Mai's own status line under the summary, as short as the platform allows. */
export function trayTooltip(state: TrayState): string {
  return [trayTitle(state), state.personality || resourceSummary(state.sample)].join('\n');
}

/** Which model key a "Pause automatic switching" click sends: pin the current model, or go back to auto. */
export function pauseTarget(model: ModelState | null): string | null {
  if (model?.mode === 'pinned') return 'auto';
  return model?.current?.key ?? null;
}
