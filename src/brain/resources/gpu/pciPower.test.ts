import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findNvidiaPciAddresses, pciDeviceAsleep, readRuntimeStatus, sysfsPciAddress } from './pciPower';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mai-pci-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes <root>/bus/pci/devices/<address>/<file> for each file, as the kernel lays a PCI function out. */
function pciDevice(address: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, 'bus', 'pci', 'devices', address, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, `${content}\n`);
  }
}

describe('sysfsPciAddress', () => {
  it.each([
    ['00000000:01:00.0', '0000:01:00.0'],
    ['0000:3B:00.0', '0000:3b:00.0'],
    ['00010000:e1:00.0', '10000:e1:00.0'],
    [' 00000000:65:00.0\n', '0000:65:00.0'],
  ])('turns the driver bus id %j into the sysfs name %j', (busId, address) => {
    expect(sysfsPciAddress(busId)).toBe(address);
  });

  it.each(['', 'GPU-8f2c', '01:00.0', '0000:01:00.8'])('answers null for %j, which is no bus id', (busId) => {
    expect(sysfsPciAddress(busId)).toBeNull();
  });
});

describe('runtime power state', () => {
  it('reads the kernel status and tells sleeping from awake', () => {
    pciDevice('0000:01:00.0', { 'power/runtime_status': 'suspended' });
    pciDevice('0000:02:00.0', { 'power/runtime_status': 'active' });
    pciDevice('0000:03:00.0', { 'power/runtime_status': 'suspending' });
    expect(readRuntimeStatus(root, '0000:01:00.0')).toBe('suspended');
    expect([1, 2, 3].map((bus) => pciDeviceAsleep(root, `0000:0${bus}:00.0`))).toEqual([true, false, true]);
  });

  it('counts a device as awake where Mai cannot tell: no file, no address, no sysfs, an unknown word', () => {
    pciDevice('0000:04:00.0', { 'power/runtime_status': 'sleepy' });
    expect(readRuntimeStatus(root, '0000:09:00.0')).toBeNull();
    expect(readRuntimeStatus(root, '0000:04:00.0')).toBeNull();
    expect(pciDeviceAsleep(root, null)).toBe(false);
    expect(pciDeviceAsleep(null, '0000:01:00.0')).toBe(false);
  });
});

describe('findNvidiaPciAddresses', () => {
  it("finds NVIDIA's display functions only, in address order", () => {
    pciDevice('0000:02:00.0', { vendor: '0x10de', class: '0x030200' }); // 3D controller
    pciDevice('0000:01:00.1', { vendor: '0x10de', class: '0x040300' }); // its HD audio function
    pciDevice('0000:01:00.0', { vendor: '0x10de', class: '0x030000' }); // VGA controller
    pciDevice('0000:00:02.0', { vendor: '0x8086', class: '0x030000' }); // Intel iGPU
    expect(findNvidiaPciAddresses(root)).toEqual(['0000:01:00.0', '0000:02:00.0']);
    expect(findNvidiaPciAddresses(path.join(root, 'nonexistent'))).toEqual([]);
  });
});
