import type { PowerState } from '../../../shared/contract';
import type { PowerSampler } from '../sampler';
import { SysfsPowerSampler } from './linuxPowerSupply';
import { PmsetPowerSampler, SystemInformationPowerSampler } from './otherPlatforms';

/**
 * A fixed power state from `MAI_POWER_SOURCE`: `ac`, or `battery:<percent>` (e.g. `battery:20`). The test suite
 * sets `ac`, so a laptop running it on battery does not change which models the tests see; a person can watch the
 * battery policy at work without pulling the cable. Null when unset; an error naming the value when it is not one.
 */
export function fixedPowerState(value: string | undefined): PowerState | null {
  if (value === undefined || value.trim() === '') return null;
  if (value === 'ac') return { source: 'ac', batteryPercent: null };
  const battery = /^battery:(\d{1,3})$/.exec(value);
  const percent = battery ? Number(battery[1]) : Number.NaN;
  if (percent >= 0 && percent <= 100) return { source: 'battery', batteryPercent: percent };
  throw new Error(`MAI_POWER_SOURCE=${value} is not "ac" or "battery:<0-100>" (e.g. battery:20)`);
}

/**
 * This platform's power sampler: sysfs on Linux, pmset on macOS, systeminformation elsewhere (Windows); a fixed state
 * where MAI_POWER_SOURCE names one.
 */
export function createPowerSampler(
  platform: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = {},
): PowerSampler {
  const fixed = fixedPowerState(env.MAI_POWER_SOURCE);
  if (fixed) return { read: () => fixed, close: () => undefined };
  if (platform === 'linux') return new SysfsPowerSampler();
  if (platform === 'darwin') return new PmsetPowerSampler();
  return new SystemInformationPowerSampler();
}
