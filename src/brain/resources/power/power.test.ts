import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PowerStateSchema } from '../../../shared/contract';
import { findOnPath } from '../gpu/findOnPath';
import { readLinuxPowerState, SysfsPowerSampler } from './linuxPowerSupply';
import { parsePmsetBatt, PmsetPowerSampler, powerFromBattery } from './otherPlatforms';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mai-power-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes <root>/class/power_supply/<name>/<attribute> files, as the kernel lays a supply out. */
function supply(name: string, attributes: Record<string, string>): void {
  const dir = path.join(root, 'class', 'power_supply', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(attributes)) writeFileSync(path.join(dir, file), `${content}\n`);
}

const laptopBattery = { type: 'Battery', scope: 'System', status: 'Discharging', capacity: '20' };

describe('Linux power_supply', () => {
  it('reads a laptop unplugged: on battery at its capacity', () => {
    supply('AC', { type: 'Mains', online: '0' });
    supply('BAT0', laptopBattery);
    expect(new SysfsPowerSampler(root).read()).toEqual({ source: 'battery', batteryPercent: 20 });
  });

  it('reads it plugged in (Mains or USB-C online), charge still given', () => {
    supply('AC', { type: 'Mains', online: '0' });
    supply('ucsi-source-psy-USBC000:001', { type: 'USB', online: '1' });
    supply('BAT0', { ...laptopBattery, status: 'Charging', capacity: '64' });
    expect(readLinuxPowerState(root)).toEqual({ source: 'ac', batteryPercent: 64 });
  });

  it('weighs two batteries by their full energy, and derives a charge from energy_now where capacity is missing', () => {
    supply('AC', { type: 'Mains', online: '0' });
    supply('BAT0', { type: 'Battery', status: 'Discharging', energy_full: '24000000', energy_now: '6000000' });
    supply('BAT1', { type: 'Battery', status: 'Discharging', capacity: '70', energy_full: '72000000' });
    // (25 % × 24 Wh + 70 % × 72 Wh) / 96 Wh
    expect(readLinuxPowerState(root).batteryPercent).toBeCloseTo(58.8, 1);
  });

  it("ignores a mouse's battery, and calls a machine without a battery on mains", () => {
    supply('hidpp_battery_0', { type: 'Battery', scope: 'Device', status: 'Discharging', capacity: '5' });
    expect(readLinuxPowerState(root)).toEqual({ source: 'ac', batteryPercent: null });
    expect(readLinuxPowerState(path.join(root, 'nonexistent'))).toEqual({ source: 'ac', batteryPercent: null });
  });

  it('goes by the battery status where the firmware lists no mains supply', () => {
    supply('BAT0', { ...laptopBattery, status: 'Full', capacity: '100' });
    expect(readLinuxPowerState(root).source).toBe('ac');
    supply('BAT0', laptopBattery);
    expect(readLinuxPowerState(root).source).toBe('battery');
  });

  it("reads this machine's tree without throwing", () => {
    expect(PowerStateSchema.safeParse(new SysfsPowerSampler().read()).success).toBe(true);
  });
});

describe('macOS pmset -g batt', () => {
  it.each([
    [
      "Now drawing from 'Battery Power'\n -InternalBattery-0 (id=4653155)\t24%; discharging; 2:10 remaining present: true\n",
      { source: 'battery', batteryPercent: 24 },
    ],
    [
      "Now drawing from 'AC Power'\n -InternalBattery-0 (id=4653155)\t100%; charged; 0:00 remaining present: true\n",
      { source: 'ac', batteryPercent: 100 },
    ],
    ["Now drawing from 'AC Power'\n", { source: 'ac', batteryPercent: null }],
    ["Now drawing from 'UPS Power'\n", { source: 'battery', batteryPercent: null }],
    ['pmset: command failed\n', { source: 'unknown', batteryPercent: null }],
  ])('reads %j', (output, state) => {
    expect(parsePmsetBatt(output)).toEqual(state);
  });

  it.runIf(process.platform !== 'win32' && findOnPath('sh'))(
    'spawns the command and parses what it prints; a failing one is unknown',
    async () => {
      const script = path.join(root, 'pmset');
      writeFileSync(
        script,
        `#!/bin/sh\nprintf "Now drawing from 'Battery Power'\\n -InternalBattery-0\\t31%%; discharging;\\n"\n`,
        {
          mode: 0o755,
        },
      );
      await expect(new PmsetPowerSampler(script).read()).resolves.toEqual({ source: 'battery', batteryPercent: 31 });
      await expect(new PmsetPowerSampler(path.join(root, 'missing')).read()).resolves.toEqual({
        source: 'unknown',
        batteryPercent: null,
      });
    },
  );
});

describe("Windows through systeminformation's battery()", () => {
  it.each([
    [
      { hasBattery: false, acConnected: true, isCharging: false, percent: 0 },
      { source: 'ac', batteryPercent: null },
    ],
    [
      { hasBattery: true, acConnected: false, isCharging: false, percent: 18 },
      { source: 'battery', batteryPercent: 18 },
    ],
    [
      { hasBattery: true, acConnected: true, isCharging: true, percent: 55 },
      { source: 'ac', batteryPercent: 55 },
    ],
  ])('reads %j', (battery, state) => {
    expect(powerFromBattery(battery)).toEqual(state);
  });
});
