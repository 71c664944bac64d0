import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { GpuSample } from '../../../shared/contract';
import type { GpuSampler } from '../sampler';
import { asleepSample } from './asleepSample';
import { isAsleepStatus, type RuntimeStatus } from './pciPower';

/** PCI vendor id of AMD/ATI, as the kernel writes it in device/vendor. */
const amdVendorId = '0x1002';

/** A sysfs attribute as text, or undefined where the file is missing or unreadable (cards come and go). */
function readAttribute(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function readNumber(file: string): number | undefined {
  const text = readAttribute(file);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export interface AmdCard {
  /** Mai's index: the card's position among AMD cards, by DRM card number. */
  index: number;
  /** e.g. /sys/class/drm/card1/device */
  devicePath: string;
  name: string;
}

/** AMD cards under <sysfsRoot>/class/drm: `cardN` entries (not the `cardN-DP-1` connectors) whose vendor is AMD. */
export function findAmdCards(sysfsRoot = '/sys'): AmdCard[] {
  const drm = path.join(sysfsRoot, 'class', 'drm');
  let entries: string[];
  try {
    entries = readdirSync(drm);
  } catch {
    return [];
  }
  const cards = entries
    .filter((entry) => /^card\d+$/.test(entry))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    .map((entry) => path.join(drm, entry, 'device'))
    .filter((devicePath) => readAttribute(path.join(devicePath, 'vendor'))?.toLowerCase() === amdVendorId);
  return cards.map((devicePath, index) => ({ index, devicePath, name: cardName(devicePath) }));
}

/** product_name comes from the VBIOS and is often absent or empty; the PCI device id still tells models apart. */
function cardName(devicePath: string): string {
  const product = readAttribute(path.join(devicePath, 'product_name'));
  if (product) return product;
  const deviceId = readAttribute(path.join(devicePath, 'device'));
  return deviceId ? `AMD Radeon (device ${deviceId})` : 'AMD Radeon';
}

/** Reading a runtime-suspended card's attributes wakes it (and costs watts); a missing file means no runtime PM. */
function isSuspended(devicePath: string): boolean {
  const status = readAttribute(path.join(devicePath, 'power', 'runtime_status'));
  return isAsleepStatus((status ?? null) as RuntimeStatus | null);
}

/** The first hwmon's temp1_input (the edge sensor on amdgpu), in millidegrees. */
function readTemperatureC(devicePath: string): number | null {
  const hwmonDir = path.join(devicePath, 'hwmon');
  let hwmons: string[];
  try {
    hwmons = readdirSync(hwmonDir)
      .filter((entry) => entry.startsWith('hwmon'))
      .sort();
  } catch {
    return null;
  }
  for (const hwmon of hwmons) {
    const milliC = readNumber(path.join(hwmonDir, hwmon, 'temp1_input'));
    if (milliC !== undefined) return milliC / 1000;
  }
  return null;
}

/**
 * Reads one card now. A suspended card is not read (that would wake it): it answers its last known memory (zeros if
 * none), marked asleep and stale. An unreadable file (a card going away) keeps its last figure too.
 */
export function readAmdCard(card: AmdCard, lastKnown?: GpuSample): GpuSample {
  const base = { index: card.index, name: card.name, vendor: 'amd' as const };
  if (isSuspended(card.devicePath)) return asleepSample(base, lastKnown);
  const totalBytes = readNumber(path.join(card.devicePath, 'mem_info_vram_total')) ?? lastKnown?.vramTotalBytes ?? 0;
  const usedRead = readNumber(path.join(card.devicePath, 'mem_info_vram_used'));
  const usedBytes = Math.min(totalBytes, usedRead ?? lastKnown?.vramUsedBytes ?? 0);
  const busyPercent = readNumber(path.join(card.devicePath, 'gpu_busy_percent'));
  return {
    ...base,
    vramTotalBytes: totalBytes,
    vramUsedBytes: usedBytes,
    vramFreeBytes: totalBytes - usedBytes,
    utilizationPercent: busyPercent === undefined ? null : Math.min(100, Math.max(0, busyPercent)),
    temperatureC: readTemperatureC(card.devicePath),
  };
}

/**
 * AMD on Linux through amdgpu's sysfs files: a few small reads per card, no spawns. Cards are found once;
 * the root is injectable so tests read a fake tree.
 */
export class AmdSysfsSampler implements GpuSampler {
  private latest = new Map<number, GpuSample>();

  constructor(readonly cards: readonly AmdCard[]) {}

  static fromSysfs(sysfsRoot = '/sys'): AmdSysfsSampler {
    return new AmdSysfsSampler(findAmdCards(sysfsRoot));
  }

  read(): GpuSample[] {
    const samples = this.cards.map((card) => readAmdCard(card, this.latest.get(card.index)));
    this.latest = new Map(samples.map((sample) => [sample.index, sample]));
    return samples;
  }

  close(): void {}
}
