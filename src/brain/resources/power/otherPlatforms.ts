/**
 * Power state where there is no sysfs: macOS through `pmset -g batt`, Windows through systeminformation's battery()
 * (WMI through PowerShell). Both spawn a process (20-300 ms), which is why the monitor reads power every 30 s, not
 * every second; a read that hangs gives up after its timeout and answers `unknown`.
 */
import { execFile } from 'node:child_process';
import type { PowerState } from '../../../shared/contract';
import type { PowerSampler } from '../sampler';

/** pmset answers in well under a second; 5 s means it is stuck, and the next read tries again. */
const spawnTimeoutMs = 5000;

const unknown: PowerState = { source: 'unknown', batteryPercent: null };

/**
 * `pmset -g batt` as macOS prints it:
 *   Now drawing from 'Battery Power'
 *    -InternalBattery-0 (id=4653155)	24%; discharging; 2:10 remaining present: true
 * A desktop Mac prints the first line with 'AC Power' and no battery. 'UPS Power' counts as on battery.
 */
export function parsePmsetBatt(output: string): PowerState {
  const from = /Now drawing from '([^']+)'/.exec(output)?.[1];
  const percentText = /\t(\d{1,3})%;/.exec(output)?.[1] ?? /(\d{1,3})%;/.exec(output)?.[1];
  const batteryPercent = percentText === undefined ? null : Math.min(100, Number(percentText));
  if (from === 'AC Power') return { source: 'ac', batteryPercent };
  if (from === 'Battery Power' || from === 'UPS Power') return { source: 'battery', batteryPercent };
  return { source: 'unknown', batteryPercent };
}

export class PmsetPowerSampler implements PowerSampler {
  constructor(private readonly command = 'pmset') {}

  read(): Promise<PowerState> {
    return new Promise((resolve) => {
      execFile(this.command, ['-g', 'batt'], { timeout: spawnTimeoutMs, windowsHide: true }, (error, stdout) => {
        resolve(error ? unknown : parsePmsetBatt(stdout));
      });
    });
  }

  close(): void {}
}

/** What Mai reads of systeminformation's BatteryData. */
export interface BatteryFacts {
  hasBattery: boolean;
  acConnected: boolean;
  isCharging: boolean;
  percent: number;
}

export function powerFromBattery(battery: BatteryFacts): PowerState {
  if (!battery.hasBattery) return { source: 'ac', batteryPercent: null };
  const batteryPercent = Number.isFinite(battery.percent) ? Math.min(100, Math.max(0, battery.percent)) : null;
  return { source: battery.acConnected || battery.isCharging ? 'ac' : 'battery', batteryPercent };
}

/** Windows (and any platform without the others): systeminformation, loaded only when first read. */
export class SystemInformationPowerSampler implements PowerSampler {
  async read(): Promise<PowerState> {
    try {
      const si = await import('systeminformation');
      const battery = await Promise.race([
        si.battery(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), spawnTimeoutMs).unref()),
      ]);
      return battery ? powerFromBattery(battery) : unknown;
    } catch {
      return unknown;
    }
  }

  close(): void {}
}
