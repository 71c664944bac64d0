import { describe, expect, it } from 'vitest';
import { createPowerSampler, fixedPowerState } from './createPowerSampler';

describe('MAI_POWER_SOURCE', () => {
  it.each([
    ['ac', { source: 'ac', batteryPercent: null }],
    ['battery:20', { source: 'battery', batteryPercent: 20 }],
    ['battery:100', { source: 'battery', batteryPercent: 100 }],
    [undefined, null],
    ['', null],
  ])('%j → %j', (value, state) => {
    expect(fixedPowerState(value)).toEqual(state);
  });

  it.each(['mains', 'battery', 'battery:120', 'battery:-1'])(
    'refuses %j, naming the variable and the value',
    (value) => {
      expect(() => fixedPowerState(value)).toThrow(`MAI_POWER_SOURCE=${value} is not "ac" or "battery:<0-100>"`);
    },
  );

  it('makes a sampler that reports the fixed state on any platform', async () => {
    const sampler = createPowerSampler('linux', { MAI_POWER_SOURCE: 'battery:24' });
    expect(await sampler.read()).toEqual({ source: 'battery', batteryPercent: 24 });
  });
});
