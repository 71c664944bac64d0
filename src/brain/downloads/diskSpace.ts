import { mkdir, statfs } from 'node:fs/promises';
import { formatBytes } from '../../shared/format';
import { PullError } from './PullError';

/** Left free after a download: a full disk breaks the OS, the browser and Mai's own conversation log. */
export const diskReserveBytes = 512 * 1024 ** 2;

/** Bytes an unprivileged process may still write in the folder's file system (the folder is made if missing). */
export async function freeDiskBytes(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
}

/** Throws a disk_space PullError when the rest of the file (plus the reserve) does not fit. Pure. */
export function checkDiskSpace(remainingBytes: number, freeBytes: number, dir: string): void {
  if (remainingBytes + diskReserveBytes <= freeBytes) return;
  throw new PullError(
    'disk_space',
    `not enough disk space in ${dir}: the download needs ${formatBytes(remainingBytes)} more and ${formatBytes(freeBytes)} is free ` +
      `(Mai keeps ${formatBytes(diskReserveBytes)} free); free some space or set MAI_HOME to a larger disk`,
  );
}
