/** Pure parsing of `nvidia-smi --query-gpu=… --format=csv,noheader,nounits` lines, apart from the process that emits them. */
import type { GpuSample } from '../../../shared/contract';

/** The fields asked for, in order; the parser reads them by position. */
export const nvidiaSmiQueryFields = [
  'index',
  'name',
  'memory.total',
  'memory.used',
  'memory.free',
  'utilization.gpu',
  'temperature.gpu',
] as const;

/** One persistent stream: nvidia-smi repeats the query every second itself, so Mai spawns it once, not per sample. */
export function nvidiaSmiStreamArgs(intervalMs: number): string[] {
  return [
    `--query-gpu=${nvidiaSmiQueryFields.join(',')}`,
    '--format=csv,noheader,nounits',
    `-lms`,
    String(Math.max(1, Math.round(intervalMs))),
  ];
}

const bytesPerMib = 1024 * 1024;

/** nvidia-smi writes "[N/A]", "[Not Supported]", "[Unknown Error]"… where a board has no figure. */
function numberOrNull(field: string): number | null {
  if (field === '' || field.startsWith('[')) return null;
  const value = Number(field);
  return Number.isFinite(value) ? value : null;
}

/**
 * Parses one CSV line into a sample, or undefined for anything that is not one (an error message, a cut-off line).
 * Names carry no quoting in nvidia-smi's CSV, so a name holding a comma is rebuilt from the middle fields.
 */
export function parseNvidiaSmiLine(line: string): GpuSample | undefined {
  const raw = line.split(',').map((field) => field.trim());
  const fieldCount = nvidiaSmiQueryFields.length;
  if (raw.length < fieldCount) return undefined;
  const nameFieldCount = raw.length - fieldCount + 1;
  const [indexField = ''] = raw;
  const name = raw.slice(1, 1 + nameFieldCount).join(', ');
  const [total, used, free, utilization, temperature] = raw.slice(1 + nameFieldCount).map(numberOrNull);

  const index = Number(indexField);
  // Without an index or a memory total the line cannot be told apart from garbage; drop it rather than guess.
  if (indexField === '' || !Number.isInteger(index) || index < 0 || name === '') return undefined;
  if (total === null || total === undefined || total < 0) return undefined;

  const vramTotalBytes = total * bytesPerMib;
  const vramUsedBytes = used === null || used === undefined ? null : used * bytesPerMib;
  const vramFreeBytes = free === null || free === undefined ? null : free * bytesPerMib;
  return {
    index,
    name,
    vendor: 'nvidia',
    vramTotalBytes,
    // Where one of used/free is missing, it follows from the other; where both are, the card counts as empty.
    vramUsedBytes: clampBytes(vramUsedBytes ?? (vramFreeBytes === null ? 0 : vramTotalBytes - vramFreeBytes)),
    vramFreeBytes: clampBytes(vramFreeBytes ?? vramTotalBytes - (vramUsedBytes ?? 0)),
    utilizationPercent: utilization === null || utilization === undefined ? null : clampPercent(utilization),
    temperatureC: temperature ?? null,
  };
}

function clampBytes(bytes: number): number {
  return Math.max(0, bytes);
}

function clampPercent(percent: number): number {
  return Math.min(100, Math.max(0, percent));
}
