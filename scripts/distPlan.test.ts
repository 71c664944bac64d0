import { describe, expect, it } from 'vitest';
import { builderCommand, hostPlatformFlag } from './distPlan';

describe('hostPlatformFlag', () => {
  it.each([
    ['linux', '--linux'],
    ['darwin', '--mac'],
    ['win32', '--win'],
    ['freebsd', null],
  ] as const)('%s → %s', (platform, flag) => {
    expect(hostPlatformFlag(platform)).toBe(flag);
  });
});

describe('builderCommand', () => {
  it('builds the host’s targets from the runtime already fetched, publishing nothing, signing with no keychain search', () => {
    const command = builderCommand({ builderCli: '/eb/cli.js', platformFlag: '--linux', electronDist: '/e/dist' });
    expect(command.args).toEqual(['/eb/cli.js', '--linux', '--publish', 'never', '--config.electronDist=/e/dist']);
    expect(command.env).toEqual({ CSC_IDENTITY_AUTO_DISCOVERY: 'false' });
  });
});
