import { describe, expect, it } from 'vitest';
import type { PowerState } from '../../shared/contract';
import type { OnBatterySpec } from '../config';
import { tierOnPower, type TierOnMains } from './powerPreference';

/** mid_range as shipped: on battery as on mains; below 30 %: small first, no GPU. */
const shippedMidRange: OnBatterySpec = {
  preferredCategories: null,
  gpuOffload: true,
  lowCharge: { belowPercent: 30, preferredCategories: ['small', 'medium'], gpuOffload: false },
};
const midRange: TierOnMains = {
  name: 'mid_range',
  preferredCategories: ['medium', 'small'],
  onBattery: shippedMidRange,
};
/** high_end as shipped: medium first on battery. */
const highEnd: TierOnMains = {
  name: 'high_end',
  preferredCategories: ['large', 'medium', 'small'],
  onBattery: {
    preferredCategories: ['medium', 'small', 'large'],
    gpuOffload: true,
    lowCharge: { belowPercent: 30, preferredCategories: ['small', 'medium'], gpuOffload: false },
  },
};
const battery = (batteryPercent: number | null): PowerState => ({ source: 'battery', batteryPercent });

describe('tierOnPower', () => {
  it.each([
    ['no power reading', midRange, undefined, 'mid_range', ['medium', 'small'], true],
    [
      'on mains at 20 %',
      midRange,
      { source: 'ac', batteryPercent: 20 } as PowerState,
      'mid_range',
      ['medium', 'small'],
      true,
    ],
    [
      'source unknown',
      midRange,
      { source: 'unknown', batteryPercent: 20 } as PowerState,
      'mid_range',
      ['medium', 'small'],
      true,
    ],
    ['on battery above the low charge', midRange, battery(64), 'mid_range', ['medium', 'small'], true],
    ['on battery, charge unknown', midRange, battery(null), 'mid_range', ['medium', 'small'], true],
    ['at the line (30 % is not below 30 %)', midRange, battery(30), 'mid_range', ['medium', 'small'], true],
    [
      'below the low charge',
      midRange,
      battery(20),
      'mid_range (on battery, 20 %: lighter model, no GPU offload)',
      ['small', 'medium'],
      false,
    ],
    [
      'high_end on battery',
      highEnd,
      battery(80),
      'high_end (on battery, 80 %: lighter model)',
      ['medium', 'small', 'large'],
      true,
    ],
    [
      'high_end on battery, charge unknown',
      highEnd,
      battery(null),
      'high_end (on battery, charge unknown: lighter model)',
      ['medium', 'small', 'large'],
      true,
    ],
    [
      'high_end below the low charge',
      highEnd,
      battery(24.4),
      'high_end (on battery, 24 %: lighter model, no GPU offload)',
      ['small', 'medium'],
      false,
    ],
  ] as const)('%s', (_what, tier, power, name, categories, gpuOffload) => {
    const result = tierOnPower(tier, power);
    expect(result).toMatchObject({ name, preferredCategories: categories, gpuOffload });
    expect(result.powerNote === null).toBe(name === tier.name);
  });

  it('names a reordering that is not lighter by the order it prefers', () => {
    const tier: TierOnMains = {
      name: 'low_end',
      preferredCategories: ['small'],
      onBattery: { preferredCategories: ['small', 'medium'], gpuOffload: true, lowCharge: null },
    };
    expect(tierOnPower(tier, battery(50)).name).toBe('low_end (on battery, 50 %: prefers small, medium)');
  });

  it('a low-charge rule without its own categories keeps the on-battery order and only drops the GPU', () => {
    const tier: TierOnMains = {
      name: 'low_end',
      preferredCategories: ['small'],
      onBattery: {
        preferredCategories: null,
        gpuOffload: true,
        lowCharge: { belowPercent: 30, preferredCategories: null, gpuOffload: false },
      },
    };
    expect(tierOnPower(tier, battery(10))).toEqual({
      name: 'low_end (on battery, 10 %: no GPU offload)',
      preferredCategories: ['small'],
      gpuOffload: false,
      powerNote: 'on battery, 10 %: no GPU offload',
    });
  });
});
