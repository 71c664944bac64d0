/**
 * Download speed for a progress bar: an exponentially weighted average over time (half-life 3 s), so one slow or
 * bursty second does not swing the ETA, yet a lasting change shows within a few seconds. Resumed bytes never count:
 * only what arrives while it is watched.
 */
export class TransferRate {
  private lastAtMs: number | null = null;
  private lastBytes = 0;
  private bytesPerSecond: number | null = null;

  constructor(private readonly halfLifeMs = 3000) {}

  /** Feeds the bytes on disk at a moment; returns the smoothed rate, or null until two samples 100+ ms apart. */
  update(receivedBytes: number, atMs: number): number | null {
    if (this.lastAtMs === null) {
      this.lastAtMs = atMs;
      this.lastBytes = receivedBytes;
      return null;
    }
    const elapsedMs = atMs - this.lastAtMs;
    if (elapsedMs < 100) return this.bytesPerSecond;
    const instant = ((receivedBytes - this.lastBytes) * 1000) / elapsedMs;
    const weight = 1 - Math.pow(0.5, elapsedMs / this.halfLifeMs);
    this.bytesPerSecond =
      this.bytesPerSecond === null ? instant : this.bytesPerSecond + weight * (instant - this.bytesPerSecond);
    this.lastAtMs = atMs;
    this.lastBytes = receivedBytes;
    return this.bytesPerSecond;
  }
}

/** Seconds left at a rate; null while either is unknown. Pure. */
export function etaSeconds(
  receivedBytes: number,
  totalBytes: number | null,
  bytesPerSecond: number | null,
): number | null {
  if (totalBytes === null || bytesPerSecond === null || bytesPerSecond <= 0) return null;
  return Math.max(0, (totalBytes - receivedBytes) / bytesPerSecond);
}
