const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Binary units, one decimal from GiB up: "23.4 GiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit >= 3 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatPercent(percent: number): string {
  return `${Math.round(percent)}%`;
}
