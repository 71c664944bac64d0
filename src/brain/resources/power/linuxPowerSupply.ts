/**
 * Linux: the kernel's power supply class (/sys/class/power_supply, Documentation/ABI/testing/sysfs-class-power).
 * A few small attribute reads, no spawn: cheap enough for any rate, though battery state changes slowly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PowerState } from '../../../shared/contract';
import type { PowerSampler } from '../sampler';

function attribute(dir: string, name: string): string | undefined {
  try {
    return readFileSync(path.join(dir, name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

function numberAttribute(dir: string, name: string): number | undefined {
  const text = attribute(dir, name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

interface Battery {
  percent: number | null;
  /** Full capacity in µWh or µAh, to weigh two batteries (ThinkPads carry an internal and a swappable one). */
  fullCapacity: number | null;
  discharging: boolean;
}

/** capacity when the driver gives it, else energy_now / energy_full (or the charge_* pair in µAh). */
function readBattery(dir: string): Battery {
  const energyFull = numberAttribute(dir, 'energy_full') ?? numberAttribute(dir, 'charge_full');
  const energyNow = numberAttribute(dir, 'energy_now') ?? numberAttribute(dir, 'charge_now');
  const capacity = numberAttribute(dir, 'capacity');
  const ratio = energyFull && energyNow !== undefined ? (energyNow / energyFull) * 100 : undefined;
  const percent = capacity ?? ratio;
  return {
    percent: percent === undefined ? null : Math.min(100, Math.max(0, percent)),
    fullCapacity: energyFull ?? null,
    discharging: attribute(dir, 'status') === 'Discharging',
  };
}

/** All batteries as one charge: weighted by full capacity where every battery gives it, else the plain mean. */
function combinedPercent(batteries: readonly Battery[]): number | null {
  const known = batteries.filter((b) => b.percent !== null);
  if (known.length === 0) return null;
  const weights = known.map((b) => b.fullCapacity ?? 0);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const weighted = known.every((b) => b.fullCapacity !== null) && total > 0;
  const sum = known.reduce((acc, b, i) => acc + (b.percent ?? 0) * (weighted ? (weights[i] ?? 0) / total : 1), 0);
  return Math.round((weighted ? sum : sum / known.length) * 10) / 10;
}

/**
 * The machine's power state from <sysfsRoot>/class/power_supply. Supplies with `scope` Device (a mouse's or a
 * headset's battery) are not the machine's and are skipped. On mains when a Mains/USB supply is online; on battery
 * when none is (or, with no mains entry at all, when a battery discharges); a machine without a battery cannot be on
 * one (`ac`).
 */
export function readLinuxPowerState(sysfsRoot = '/sys'): PowerState {
  const dir = path.join(sysfsRoot, 'class', 'power_supply');
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return { source: 'ac', batteryPercent: null };
  }
  const batteries: Battery[] = [];
  let mainsSeen = false;
  let mainsOnline = false;
  for (const name of names) {
    const supply = path.join(dir, name);
    if (attribute(supply, 'scope') === 'Device') continue;
    const type = attribute(supply, 'type');
    if (type === 'Battery') batteries.push(readBattery(supply));
    else if (type === 'Mains' || type?.startsWith('USB')) {
      mainsSeen = true;
      mainsOnline ||= attribute(supply, 'online') === '1';
    }
  }
  const batteryPercent = combinedPercent(batteries);
  if (batteries.length === 0) return { source: 'ac', batteryPercent: null };
  if (mainsOnline) return { source: 'ac', batteryPercent };
  if (mainsSeen) return { source: 'battery', batteryPercent };
  // Without a mains entry (some firmware lists only the battery), its status is the only word on the cable.
  return { source: batteries.some((b) => b.discharging) ? 'battery' : 'ac', batteryPercent };
}

export class SysfsPowerSampler implements PowerSampler {
  constructor(private readonly sysfsRoot = '/sys') {}

  read(): PowerState {
    return readLinuxPowerState(this.sysfsRoot);
  }

  close(): void {}
}
