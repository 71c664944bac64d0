import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GpuSampleSchema } from '../../../shared/contract';
import { AmdSysfsSampler, findAmdCards } from './AmdSysfsSampler';

let root: string;

/** Writes a fake <root>/class/drm/<card>/device tree: file name → content, the way amdgpu lays it out. */
function card(name: string, files: Record<string, string>): string {
  const device = path.join(root, 'class', 'drm', name, 'device');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(device, file)), { recursive: true });
    writeFileSync(path.join(device, file), content + '\n');
  }
  return device;
}

const gib = 1024 ** 3;

/** An RX 7900 XTX as amdgpu shows it, awake. */
const awakeRadeon = {
  vendor: '0x1002',
  device: '0x744c',
  'power/runtime_status': 'active',
  mem_info_vram_total: String(24 * gib),
  mem_info_vram_used: String(3 * gib),
  gpu_busy_percent: '42',
  'hwmon/hwmon3/temp1_input': '51000',
};

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mai-sysfs-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findAmdCards', () => {
  it('finds AMD cards only, ignoring other vendors and connector entries, ordered by card number', () => {
    card('card0', { vendor: '0x8086', device: '0x46a6' }); // Intel iGPU
    card('card10', { ...awakeRadeon, product_name: 'AMD Radeon RX 7600' });
    card('card2', awakeRadeon);
    card('card2-DP-1', { vendor: '0x1002' }); // a connector, not a card
    card('card3', { vendor: '0x10de' }); // NVIDIA
    const cards = findAmdCards(root);
    expect(cards.map((c) => [c.index, path.basename(path.dirname(c.devicePath)), c.name])).toEqual([
      [0, 'card2', 'AMD Radeon (device 0x744c)'],
      [1, 'card10', 'AMD Radeon RX 7600'],
    ]);
  });

  it('answers [] without a drm class (no GPU, or not Linux)', () => {
    expect(findAmdCards(root)).toEqual([]);
    expect(findAmdCards(path.join(root, 'nonexistent'))).toEqual([]);
  });
});

describe('AmdSysfsSampler', () => {
  it('reads VRAM, busy percent and the hwmon temperature of an awake card', () => {
    card('card1', awakeRadeon);
    const [gpu] = AmdSysfsSampler.fromSysfs(root).read();
    expect(gpu).toEqual({
      index: 0,
      name: 'AMD Radeon (device 0x744c)',
      vendor: 'amd',
      vramTotalBytes: 24 * gib,
      vramUsedBytes: 3 * gib,
      vramFreeBytes: 21 * gib,
      utilizationPercent: 42,
      temperatureC: 51,
    });
    expect(GpuSampleSchema.safeParse(gpu).success).toBe(true);
  });

  it('does not read a suspended card: last known memory marked asleep and stale, no utilisation or temperature', () => {
    const device = card('card1', awakeRadeon);
    const sampler = AmdSysfsSampler.fromSysfs(root);
    sampler.read();
    writeFileSync(path.join(device, 'power/runtime_status'), 'suspended\n');
    // Had these been read, the figures would change: they must not be.
    writeFileSync(path.join(device, 'mem_info_vram_used'), String(20 * gib));
    expect(sampler.read()[0]).toMatchObject({
      vramTotalBytes: 24 * gib,
      vramUsedBytes: 3 * gib,
      utilizationPercent: null,
      temperatureC: null,
      asleep: true,
      stale: true,
    });
    // Awake again, it is read again and no longer marked.
    writeFileSync(path.join(device, 'power/runtime_status'), 'active\n');
    const awake = sampler.read()[0];
    expect(awake?.vramUsedBytes).toBe(20 * gib);
    expect(awake?.asleep).toBeUndefined();
  });

  it('reports zeros for a card suspended since before the first read', () => {
    card('card1', { ...awakeRadeon, 'power/runtime_status': 'suspended' });
    expect(AmdSysfsSampler.fromSysfs(root).read()[0]).toMatchObject({
      vramTotalBytes: 0,
      vramUsedBytes: 0,
      vramFreeBytes: 0,
      utilizationPercent: null,
    });
  });

  it('copes with missing files: no runtime PM, no busy counter, no hwmon', () => {
    card('card0', { vendor: '0x1002', mem_info_vram_total: String(512 * 1024 ** 2), mem_info_vram_used: 'garbage' });
    expect(AmdSysfsSampler.fromSysfs(root).read()[0]).toMatchObject({
      name: 'AMD Radeon',
      vramTotalBytes: 512 * 1024 ** 2,
      vramUsedBytes: 0,
      utilizationPercent: null,
      temperatureC: null,
    });
  });

  it('keeps working when a card disappears (an eGPU unplugged)', () => {
    card('card1', awakeRadeon);
    const sampler = AmdSysfsSampler.fromSysfs(root);
    expect(sampler.read()[0]?.vramUsedBytes).toBe(3 * gib);
    rmSync(path.join(root, 'class'), { recursive: true });
    expect(() => sampler.read()).not.toThrow();
    expect(sampler.read()[0]).toMatchObject({ vramUsedBytes: 3 * gib, utilizationPercent: null, temperatureC: null });
  });
});
