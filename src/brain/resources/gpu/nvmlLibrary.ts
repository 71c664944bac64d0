/**
 * The few NVML calls Mai needs, bound in process through koffi (what pynvml does in Python): ~8 µs a sample
 * against 20 ms-0.6 s for spawning nvidia-smi. Calls go through koffi's async path, on its worker threads,
 * so a hung driver stalls a worker, never the Electron main thread.
 */
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type * as KoffiModule from 'koffi';

type Koffi = typeof KoffiModule;

/** nvmlReturn_t values Mai tells apart; every other non-zero code is just "failed". */
export const nvmlSuccess = 0;
/** NVML_TEMPERATURE_GPU: the die sensor, what nvidia-smi shows as temperature.gpu. */
const nvmlTemperatureGpu = 0;
/** NVML_DEVICE_NAME_V2_BUFFER_SIZE: the longest name NVML writes, NUL included. */
const nameBufferBytes = 96;
/**
 * nvmlPciInfo_t (nvml.h, the _v3 call): busIdLegacy[16], five unsigned ints, then busId[32], "00000000:01:00.0".
 * Read as bytes, so only the string's offset matters.
 */
const pciInfoBytes = 16 + 5 * 4 + 32;
const pciBusIdOffset = 16 + 5 * 4;

export interface NvmlMemory {
  totalBytes: number;
  freeBytes: number;
  usedBytes: number;
}

/** An opened, initialised NVML: every call answers its nvmlReturn_t code and its value. */
export interface NvmlLibrary {
  readonly path: string;
  deviceCount(): Promise<number>;
  /** Device handles stay valid until nvmlShutdown, so they are fetched once. */
  deviceHandle(index: number): Promise<bigint>;
  name(device: bigint): Promise<string | null>;
  /** The PCI bus id ("00000000:01:00.0"), where the runtime power state is read; null where NVML has none. */
  pciBusId(device: bigint): Promise<string | null>;
  memory(device: bigint): Promise<NvmlMemory | null>;
  utilizationPercent(device: bigint): Promise<number | null>;
  temperatureC(device: bigint): Promise<number | null>;
  shutdown(): void;
}

/** Where the driver puts the library; the loader's own search path first. */
export function defaultNvmlLibraryPaths(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') {
    const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
    const programFiles = process.env.ProgramW6432 ?? process.env.ProgramFiles ?? 'C:\\Program Files';
    return ['nvml.dll', `${systemRoot}\\System32\\nvml.dll`, `${programFiles}\\NVIDIA Corporation\\NVSMI\\nvml.dll`];
  }
  // macOS has had no NVIDIA driver since 10.13: nothing to try.
  return platform === 'darwin' ? [] : ['libnvidia-ml.so.1'];
}

/** koffi itself may be missing for this platform (its native part ships per platform): that is "no NVML", not a crash. */
function loadKoffi(): Koffi | undefined {
  try {
    return createRequire(import.meta.url)('koffi') as Koffi;
  } catch {
    return undefined;
  }
}

type AsyncFn = (...args: unknown[]) => Promise<unknown>;

function asyncCall(koffiFunction: { async: (...args: never[]) => unknown }): AsyncFn {
  return promisify(koffiFunction.async as (...args: unknown[]) => void) as AsyncFn;
}

/** An entry point that older drivers lack (the _v3 PCI call came in 2018): null rather than no NVML at all. */
function optionalAsyncCall(bindFunction: () => { async: (...args: never[]) => unknown }): AsyncFn | null {
  try {
    return asyncCall(bindFunction());
  } catch {
    return null;
  }
}

/** A NUL-terminated C string inside a buffer. */
function cString(buffer: Buffer, offset: number, length: number): string {
  const end = buffer.indexOf(0, offset);
  return buffer.toString('utf8', offset, end < 0 || end > offset + length ? offset + length : end);
}

/** Loads and initialises NVML from the first path that opens; undefined when none does. Never throws. */
export async function openNvml(paths: readonly string[] = defaultNvmlLibraryPaths()): Promise<NvmlLibrary | undefined> {
  // No library to try: the FFI module is not even loaded.
  if (paths.length === 0) return undefined;
  const koffi = loadKoffi();
  if (!koffi) return undefined;
  for (const path of paths) {
    let handle: ReturnType<Koffi['load']>;
    try {
      handle = koffi.load(path);
    } catch {
      continue;
    }
    try {
      const library = await bind(koffi, handle, path);
      if (library) return library;
    } catch {
      // A library without the _v2 entry points (drivers before 2014) or one that cannot start: try the next.
    }
    handle.unload();
  }
  return undefined;
}

async function bind(koffi: Koffi, lib: ReturnType<Koffi['load']>, path: string): Promise<NvmlLibrary | undefined> {
  const Memory = koffi.struct({ total: 'uint64_t', free: 'uint64_t', used: 'uint64_t' });
  const Utilization = koffi.struct({ gpu: 'uint32_t', memory: 'uint32_t' });
  const init = asyncCall(lib.func('nvmlInit_v2', 'int', []));
  const shutdown = asyncCall(lib.func('nvmlShutdown', 'int', []));
  const getCount = asyncCall(lib.func('nvmlDeviceGetCount_v2', 'int', [koffi.out(koffi.pointer('uint32_t'))]));
  const getHandle = asyncCall(
    lib.func('nvmlDeviceGetHandleByIndex_v2', 'int', ['uint32_t', koffi.out(koffi.pointer('void *'))]),
  );
  const getName = asyncCall(
    lib.func('nvmlDeviceGetName', 'int', ['void *', koffi.out(koffi.pointer('uint8_t')), 'uint32_t']),
  );
  const getPciInfo = optionalAsyncCall(() =>
    lib.func('nvmlDeviceGetPciInfo_v3', 'int', ['void *', koffi.out(koffi.pointer('uint8_t'))]),
  );
  const getMemory = asyncCall(lib.func('nvmlDeviceGetMemoryInfo', 'int', ['void *', koffi.out(koffi.pointer(Memory))]));
  const getUtilization = asyncCall(
    lib.func('nvmlDeviceGetUtilizationRates', 'int', ['void *', koffi.out(koffi.pointer(Utilization))]),
  );
  const getTemperature = asyncCall(
    lib.func('nvmlDeviceGetTemperature', 'int', ['void *', 'int', koffi.out(koffi.pointer('uint32_t'))]),
  );

  if ((await init()) !== nvmlSuccess) return undefined;
  let open = true;
  return {
    path,
    async deviceCount() {
      const count: [number | null] = [null];
      return (await getCount(count)) === nvmlSuccess ? Number(count[0] ?? 0) : 0;
    },
    async deviceHandle(index) {
      const device: [bigint | null] = [null];
      const code = await getHandle(index, device);
      if (code !== nvmlSuccess || device[0] === null)
        throw new Error(`nvmlDeviceGetHandleByIndex_v2(${index}) = ${String(code)}`);
      return BigInt(device[0]);
    },
    async name(device) {
      const buffer = Buffer.alloc(nameBufferBytes);
      if ((await getName(device, buffer, buffer.length)) !== nvmlSuccess) return null;
      return cString(buffer, 0, buffer.length);
    },
    async pciBusId(device) {
      if (!getPciInfo) return null;
      const buffer = Buffer.alloc(pciInfoBytes);
      if ((await getPciInfo(device, buffer)) !== nvmlSuccess) return null;
      return cString(buffer, pciBusIdOffset, pciInfoBytes - pciBusIdOffset) || cString(buffer, 0, pciBusIdOffset);
    },
    async memory(device) {
      const memory: { total?: number | bigint; free?: number | bigint; used?: number | bigint } = {};
      if ((await getMemory(device, memory)) !== nvmlSuccess) return null;
      return {
        totalBytes: Number(memory.total ?? 0),
        freeBytes: Number(memory.free ?? 0),
        usedBytes: Number(memory.used ?? 0),
      };
    },
    async utilizationPercent(device) {
      const utilization: { gpu?: number } = {};
      return (await getUtilization(device, utilization)) === nvmlSuccess ? (utilization.gpu ?? null) : null;
    },
    async temperatureC(device) {
      const temperature: [number | null] = [null];
      return (await getTemperature(device, nvmlTemperatureGpu, temperature)) === nvmlSuccess ? temperature[0] : null;
    },
    shutdown() {
      if (!open) return;
      open = false;
      // Async and never unloaded: unloading under a call still stuck in a hung driver would crash the process.
      shutdown().catch(() => undefined);
    },
  };
}
