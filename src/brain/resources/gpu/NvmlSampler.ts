import type { GpuSample } from '../../../shared/contract';
import type { GpuSampler } from '../sampler';
import { openNvml, type NvmlLibrary } from './nvmlLibrary';

interface Device {
  index: number;
  handle: bigint;
  name: string;
}

/** NVIDIA through NVML in process. Built by createNvmlSampler, which answers undefined where NVML cannot start. */
export class NvmlSampler implements GpuSampler {
  private latest: GpuSample[] = [];
  private reading: Promise<GpuSample[]> | undefined;

  private constructor(
    private readonly nvml: NvmlLibrary,
    private readonly devices: readonly Device[],
  ) {}

  static async open(nvml: NvmlLibrary): Promise<NvmlSampler> {
    const devices: Device[] = [];
    const count = await nvml.deviceCount();
    for (let index = 0; index < count; index += 1) {
      try {
        const handle = await nvml.deviceHandle(index);
        devices.push({ index, handle, name: (await nvml.name(handle)) ?? `NVIDIA GPU ${index}` });
      } catch {
        // A device NVML cannot open (no permission, fallen off the bus) is left out, not fatal for the others.
      }
    }
    return new NvmlSampler(nvml, devices);
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
    const [memory, utilizationPercent, temperatureC] = await Promise.all([
      this.nvml.memory(device.handle),
      this.nvml.utilizationPercent(device.handle),
      this.nvml.temperatureC(device.handle),
    ]);
    const previous = this.latest.find((sample) => sample.index === device.index);
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
export async function createNvmlSampler(libraryPaths?: readonly string[]): Promise<NvmlSampler | undefined> {
  const nvml = await openNvml(libraryPaths);
  if (!nvml) return undefined;
  try {
    return await NvmlSampler.open(nvml);
  } catch {
    nvml.shutdown();
    return undefined;
  }
}
