/**
 * A PCI device's runtime power state, read from sysfs before any driver query: a laptop's discrete GPU that the
 * kernel has runtime-suspended wakes on the first NVML call, nvidia-smi query or amdgpu attribute read, and stays
 * awake (+5-25 W) for as long as someone keeps asking. Reading `power/runtime_status` itself is answered by the PM
 * core from its own bookkeeping and never resumes the device.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What the kernel writes in power/runtime_status (Documentation/power/runtime_pm.rst). */
export type RuntimeStatus = 'active' | 'suspended' | 'suspending' | 'resuming' | 'error' | 'unsupported';

const statuses: readonly RuntimeStatus[] = ['active', 'suspended', 'suspending', 'resuming', 'error', 'unsupported'];

/**
 * The sysfs name of a device from the bus id a driver reports: NVML and nvidia-smi write "00000000:01:00.0" (an
 * 8-digit domain), sysfs "0000:01:00.0" (4 digits, more only where the domain needs them, as VMD's 10000:…).
 * null for anything that is not a bus id.
 */
export function sysfsPciAddress(busId: string): string | null {
  const match = /^([0-9a-f]{1,8}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(busId.trim());
  if (!match) return null;
  const [, domain = '', bus = '', device = '', fn = ''] = match;
  const domainText = Number.parseInt(domain, 16).toString(16).padStart(4, '0');
  return `${domainText}:${bus}:${device}.${fn}`.toLowerCase();
}

/** The device's runtime status, or null where the file is missing (no runtime PM there: treat it as awake). */
export function readRuntimeStatus(sysfsRoot: string, pciAddress: string): RuntimeStatus | null {
  let text: string;
  try {
    text = readFileSync(path.join(sysfsRoot, 'bus', 'pci', 'devices', pciAddress, 'power', 'runtime_status'), 'utf8');
  } catch {
    return null;
  }
  const status = text.trim() as RuntimeStatus;
  return statuses.includes(status) ? status : null;
}

/** Asleep, or on its way there: a query now would wake it (or race the suspend and wake it right after). */
export function isAsleepStatus(status: RuntimeStatus | null): boolean {
  return status === 'suspended' || status === 'suspending';
}

/** Whether the device at `pciAddress` sleeps now; false where Mai cannot tell (no address, no runtime PM). */
export function pciDeviceAsleep(sysfsRoot: string | null, pciAddress: string | null): boolean {
  if (sysfsRoot === null || pciAddress === null) return false;
  return isAsleepStatus(readRuntimeStatus(sysfsRoot, pciAddress));
}

/** PCI vendor id of NVIDIA, as the kernel writes it in the device's `vendor` file. */
const nvidiaVendorId = '0x10de';

/**
 * NVIDIA display controllers under <sysfsRoot>/bus/pci/devices (class 0x03xxxx: VGA or 3D controller; the audio
 * and USB functions of the same card are other classes), sorted by address as NVML numbers them.
 */
export function findNvidiaPciAddresses(sysfsRoot: string): string[] {
  const devices = path.join(sysfsRoot, 'bus', 'pci', 'devices');
  let entries: string[];
  try {
    entries = readdirSync(devices);
  } catch {
    return [];
  }
  const read = (entry: string, file: string) => {
    try {
      return readFileSync(path.join(devices, entry, file), 'utf8')
        .trim()
        .toLowerCase();
    } catch {
      return '';
    }
  };
  return entries
    .filter((entry) => read(entry, 'vendor') === nvidiaVendorId && read(entry, 'class').startsWith('0x03'))
    .sort();
}
