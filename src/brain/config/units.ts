/** Config files speak GiB (2^30 bytes): RAM and VRAM are sold in binary units even where spec sheets write "GB". */
export const bytesPerGib = 1024 ** 3;

export function gibToBytes(gib: number): number {
  return Math.round(gib * bytesPerGib);
}

/**
 * "7.59 GiB". Rounds down to two decimals so a figure just under a limit never prints as the limit itself
 * ("5.99 GiB < 6 GiB", not "6 GiB < 6 GiB"); the epsilon keeps 4.35 from printing as 4.34 through float error.
 */
export function formatGib(bytes: number): string {
  const gib = Math.floor((bytes / bytesPerGib) * 100 + 1e-9) / 100;
  return `${gib} GiB`;
}
