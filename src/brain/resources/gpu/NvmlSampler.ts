import type { GpuSample } from '../../../shared/contract';
import type { GpuSampler } from '../sampler';
import { asleepSample } from './asleepSample';
import { openNvml, type NvmlLibrary } from './nvmlLibrary';
import { pciDeviceAsleep, sysfsPciAddress } from './pciPower';

interface Device {
  index: number;
  handle: bigint;
  name: string;
  /** Its sysfs name ("0000:01:00.0"), where its runtime power state is read; null where NVML gave no bus id. */
  pciAddress: string | null;
}

export interface NvmlSamplerOptions {
  /**
   * Root of sysfs, where each board's runtime power state is checked before it is queried (a query wakes a
   * sleeping laptop GPU). '/sys' on Linux by default; null checks nothing (other platforms have no such file).
   */
  sysfsRoot?: string | null;
}

function defaultSysfsRoot(): string | null {
  return process.platform === 'linux' ? '/sys' : null;
}

/** NVIDIA through NVML in process. Built by createNvmlSampler, which answers undefined where NVML cannot start. */
export class NvmlSampler implements GpuSampler {
  private latest: GpuSample[] = [];
  private reading: Promise<GpuSample[]> | undefined;

  private constructor(
    private readonly nvml: NvmlLibrary,
    private readonly devices: readonly Device[],
    private readonly sysfsRoot: string | null,
  ) {}

  static async open(nvml: NvmlLibrary, options: NvmlSamplerOptions = {}): Promise<NvmlSampler> {
    const devices: Device[] = [];
    const count = await nvml.deviceCount();
    for (let index = 0; index < count; index += 1) {
      try {
        const handle = await nvml.deviceHandle(index);
        const name = (await nvml.name(handle)) ?? `NVIDIA GPU ${index}`;
        const busId = await nvml.pciBusId(handle);
        devices.push({ index, handle, name, pciAddress: busId === null ? null : sysfsPciAddress(busId) });
      } catch {
        // A device NVML cannot open (no permission, fallen off the bus) is left out, not fatal for the others.
      }
    }
    const sysfsRoot = options.sysfsRoot === undefined ? defaultSysfsRoot() : options.sysfsRoot;
    return new NvmlSampler(nvml, devices, sysfsRoot);
  }

  /**
   * While an earlier read is still out (a driver stuck in a call), answer the last figures rather than queue
   * more calls behind it: a hung GPU must not grow a backlog that drains koffi's worker pool.
   */
  read(): Promise<GpuSample[]> | GpuSample[] {
    if (this.reading) return this.latest;
    this.reading = this.readAll().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  get deviceCount(): number {
    return this.devices.length;
  }

  close(): void {
    this.nvml.shutdown();
  }

  private async readAll(): Promise<GpuSample[]> {
    const samples: GpuSample[] = [];
    for (const device of this.devices) samples.push(await this.readDevice(device));
    this.latest = samples;
    return samples;
  }

  private async readDevice(device: Device): Promise<GpuSample> {
    const previous = this.latest.find((sample) => sample.index === device.index);
    // Checked before every read, not once: the kernel suspends an idle card and resumes it for any program.
    if (pciDeviceAsleep(this.sysfsRoot, device.pciAddress)) {
      return asleepSample({ index: device.index, name: device.name, vendor: 'nvidia' }, previous);
    }
    const [memory, utilizationPercent, temperatureC] = await Promise.all([
      this.nvml.memory(device.handle),
      this.nvml.utilizationPercent(device.handle),
      this.nvml.temperatureC(device.handle),
    ]);
    return {
      index: device.index,
      name: device.name,
      vendor: 'nvidia',
      // A failed memory call (e.g. a unified-memory board answers NOT_SUPPORTED) keeps the last figures, or zeros.
      vramTotalBytes: memory?.totalBytes ?? previous?.vramTotalBytes ?? 0,
      vramUsedBytes: memory?.usedBytes ?? previous?.vramUsedBytes ?? 0,
      vramFreeBytes: memory?.freeBytes ?? previous?.vramFreeBytes ?? 0,
      utilizationPercent: utilizationPercent === null ? null : Math.min(100, Math.max(0, utilizationPercent)),
      temperatureC,
    };
  }
}

/** NVML's sampler, or undefined when the library is absent or will not initialise. Never throws. */
export async function createNvmlSampler(
  libraryPaths?: readonly string[],
  options: NvmlSamplerOptions = {},
): Promise<NvmlSampler | undefined> {
  const nvml = await openNvml(libraryPaths);
  if (!nvml) return undefined;
  try {
    return await NvmlSampler.open(nvml, options);
  } catch {
    nvml.shutdown();
    return undefined;
  }
}
