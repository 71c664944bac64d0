import type { Mood } from '../brain/personality';

/** What the tray icon shows: room to spare, close to the tier's limits, or over them. */
export type TrayPressure = 'calm' | 'strained' | 'over';

/**
 * The brain words its mood at the front of status.personality ("Stretched with …: close to my limits …"), decided by
 * personality.ts's moodOf against the tier's scaling thresholds, the same figures the dashboard shows. Reading it
 * back keeps those thresholds in one place. (A `mood` field in the status would make this a plain read.)
 */
const moodWords: Record<string, Mood> = {
  relaxed: 'relaxed',
  comfortable: 'comfortable',
  stretched: 'stretched',
  strained: 'strained',
};

const pressureOfMood: Record<Mood, TrayPressure> = {
  relaxed: 'calm',
  comfortable: 'calm',
  // Within the scaler's hysteresis band below a threshold: Mai will not move up now.
  stretched: 'strained',
  // At or over a threshold: Mai switches to a lighter model if it lasts.
  strained: 'over',
};

/** The tray's pressure from Mai's status line; calm before the first status, or for a line it cannot read. */
export function trayPressure(personality: string): TrayPressure {
  const word = /^[A-Za-z]+/.exec(personality)?.[0]?.toLowerCase();
  const mood = word === undefined ? undefined : moodWords[word];
  return mood ? pressureOfMood[mood] : 'calm';
}

/** The icon drawn for each state by scripts/make-icons.py (with an @2x twin Electron picks on HiDPI screens). */
export function trayIconFile(pressure: TrayPressure): string {
  return `tray-${pressure}.png`;
}
