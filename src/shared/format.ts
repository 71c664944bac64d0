const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Binary units, one decimal from MiB up ("23.4 GiB", "12.1 MiB"): how every UI of Mai writes sizes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit >= 2 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
