import type { PowerSampler } from '../sampler';
import { SysfsPowerSampler } from './linuxPowerSupply';
import { PmsetPowerSampler, SystemInformationPowerSampler } from './otherPlatforms';

/** This platform's power sampler: sysfs on Linux, pmset on macOS, systeminformation elsewhere (Windows). */
export function createPowerSampler(platform: NodeJS.Platform = process.platform): PowerSampler {
  if (platform === 'linux') return new SysfsPowerSampler();
  if (platform === 'darwin') return new PmsetPowerSampler();
  return new SystemInformationPowerSampler();
}
