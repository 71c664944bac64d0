import type { Mood } from '../shared/contract';

/** What the tray icon shows: room to spare, close to the tier's limits, or over them. */
export type TrayPressure = 'calm' | 'strained' | 'over';

const pressureOfMood: Record<Mood, TrayPressure> = {
  relaxed: 'calm',
  comfortable: 'calm',
  // Within the scaler's hysteresis band below a threshold: Mai will not move up now.
  stretched: 'strained',
  // At or over a threshold: Mai switches to a lighter model if it lasts.
  strained: 'over',
};

/**
 * The tray's pressure from the brain's mood (status.mood: moodOf against the tier's scaling thresholds, the figures
 * the dashboard and the status line use); calm before the first status.
 */
export function trayPressure(mood: Mood | null): TrayPressure {
  return mood ? pressureOfMood[mood] : 'calm';
}

/** The icon drawn for each state by scripts/make-icons.py (with an @2x twin Electron picks on HiDPI screens). */
export function trayIconFile(pressure: TrayPressure): string {
  return `tray-${pressure}.png`;
}
