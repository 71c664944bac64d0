import { sha256HexPattern } from '../../shared/contract';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { hasDownload, type DownloadableEntry, type ModelEntry } from '../config';
import { checkDiskSpace, freeDiskBytes } from './diskSpace';
import { looksLikeUri, resolveDownloadUri } from './downloadUri';
import { PullError } from './PullError';
import { headRemoteFile, remoteMismatch } from './remoteFileInfo';
import { partialMetaPath, removePartial, resumableDownload, type ResumableDownloadRequest } from './resumableDownload';
import { etaSeconds, TransferRate } from './transferRate';

/** What to fetch and what it must turn out to be. */
export interface PullTarget {
  /** The key it will have in the catalog: the models.yaml key, or the file's stem for a bare URI. */
  key: string;
  displayName: string;
  uri: string;
  /** From the publisher's listing; null for a bare URI (the server's figure is used). */
  sizeBytes: number | null;
  /** Lower-case hex; null when nobody published one (the file is then kept unverified, and the result says so). */
  sha256: string | null;
}

/** `mai pull <key|uri>`: a models.yaml key with a `download:`, or a URI (matched to its entry when one lists it). */
export function resolvePullTarget(keyOrUri: string, models: readonly ModelEntry[], sha256?: string | null): PullTarget {
  const wanted = sha256?.toLowerCase() ?? null;
  if (wanted !== null && !sha256HexPattern.test(wanted)) {
    throw new PullError('unknown', `--sha256 must be 64 hexadecimal digits, not "${sha256}"`);
  }
  const fromEntry = (entry: DownloadableEntry): PullTarget => ({
    key: entry.key,
    displayName: entry.displayName,
    uri: entry.download.uri,
    sizeBytes: entry.download.sizeBytes,
    sha256: wanted ?? entry.download.sha256,
  });
  const downloadable = models.filter(hasDownload);
  if (looksLikeUri(keyOrUri)) {
    const listed = downloadable.find((m) => m.download.uri === keyOrUri);
    if (listed) return fromEntry(listed);
    const { fileName } = resolveDownloadUri(keyOrUri);
    const stem = fileName.replace(/\.gguf$/i, '');
    return { key: stem, displayName: stem, uri: keyOrUri, sizeBytes: null, sha256: wanted };
  }
  const entry = models.find((m) => m.key === keyOrUri);
  if (entry && hasDownload(entry)) return fromEntry(entry);
  const known = downloadable.map((m) => m.key).join(', ') || 'none';
  throw new PullError(
    'unknown',
    entry
      ? `${keyOrUri} has no download: in models.yaml; give its URI instead (mai pull hf:<owner>/<repo>/<file>.gguf)`
      : `no model "${keyOrUri}" with a download; ones Mai can fetch: ${known} (or give a URI: hf:<owner>/<repo>/<file>.gguf)`,
  );
}

/**
 * Where a key's file lives below the models folder: `<key>.gguf`, with the key's '/' as folders, so the embedded
 * engine lists it under the same key and the catalog joins it to its models.yaml entry. Refuses keys that would
 * leave the folder.
 */
export function modelFilePath(modelsDir: string, key: string): string {
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || !/^[\w.+-]+$/.test(s))) {
    throw new PullError(
      'unknown',
      `"${key}" cannot be a file name below the models folder (letters, digits, . _ + - and /)`,
    );
  }
  return `${path.join(modelsDir, ...segments)}.gguf`;
}

/** Partial files live in a dot-folder, which model discovery skips: nothing half-fetched or unverified is listed. */
export function partialFilePath(modelsDir: string, key: string): string {
  return path.join(modelsDir, '.partial', `${key.replaceAll('/', '--')}.gguf.partial`);
}

export type PullPhase = 'downloading' | 'verifying' | 'done';

export interface PullProgress {
  key: string;
  phase: PullPhase;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
}

export interface PullResult {
  key: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  /** True when the file matched a published checksum; false when none was known. */
  verified: boolean;
  /** The file was there already; nothing was fetched. */
  alreadyPresent: boolean;
  /** Bytes a previous, interrupted pull had left. */
  resumedFromBytes: number;
}

export interface PullDeps {
  /** `$MAI_HOME/models`, which the embedded engine scans. */
  modelsDir: string;
  hfEndpoint?: string;
  freeDiskBytes?: (dir: string) => Promise<number>;
  nowMs?: () => number;
  /** Retry and stall settings of the transfer (tests shorten them). */
  transfer?: Pick<ResumableDownloadRequest, 'retries' | 'retryDelayMs' | 'stallTimeoutMs'>;
}

/** Progress events at most this often (plus the first and the last): a bar needs no more, a WebSocket less. */
const progressIntervalMs = 200;

/** A file's size, or null when there is none. */
async function sizeOf(filePath: string): Promise<number | null> {
  return stat(filePath).then(
    (s) => s.size,
    () => null,
  );
}

/** Fetches a model into the models folder: resumable, checked against its size and SHA-256, visible only when whole. */
export async function pullModel(
  target: PullTarget,
  deps: PullDeps,
  options: { signal?: AbortSignal; onProgress?: (progress: PullProgress) => void } = {},
): Promise<PullResult> {
  const finalPath = modelFilePath(deps.modelsDir, target.key);
  const presentBytes = await sizeOf(finalPath);
  if (presentBytes !== null) {
    return {
      key: target.key,
      path: finalPath,
      sizeBytes: presentBytes,
      sha256: target.sha256 ?? '',
      verified: false,
      alreadyPresent: true,
      resumedFromBytes: 0,
    };
  }
  const { url } = resolveDownloadUri(target.uri, deps.hfEndpoint);
  const partialPath = partialFilePath(deps.modelsDir, target.key);
  await mkdir(path.dirname(partialPath), { recursive: true });
  const readFree = deps.freeDiskBytes ?? freeDiskBytes;
  const nowMs = deps.nowMs ?? Date.now;
  const haveBytes = (await sizeOf(partialPath)) ?? 0;
  if (target.sizeBytes !== null) {
    checkDiskSpace(Math.max(0, target.sizeBytes - haveBytes), await readFree(deps.modelsDir), deps.modelsDir);
  }
  // Before the first byte: the server's own size and sha256 (Hugging Face's X-Linked-*) against the listing.
  const remote = await headRemoteFile(url, options.signal ? { signal: options.signal } : {}).catch(() => null);
  if (options.signal?.aborted) throw new PullError('cancelled', 'download cancelled before it started');
  const mismatch = remoteMismatch(target, remote);
  if (mismatch) throw new PullError('checksum', mismatch);

  const rate = new TransferRate();
  let lastEmitMs = -Infinity;
  const emit = (progress: Omit<PullProgress, 'key'>) => options.onProgress?.({ key: target.key, ...progress });

  let result;
  try {
    result = await resumableDownload({
      url,
      partialPath,
      expectedSizeBytes: target.sizeBytes,
      ...deps.transfer,
      ...(options.signal ? { signal: options.signal } : {}),
      beforeBody: async (remainingBytes, totalBytes) => {
        if (target.sizeBytes !== null && totalBytes !== null && totalBytes !== target.sizeBytes) {
          throw new PullError(
            'checksum',
            `${url} is ${totalBytes} bytes but the published file is ${target.sizeBytes}: not the listed file, nothing was kept`,
          );
        }
        if (target.sizeBytes === null) checkDiskSpace(remainingBytes, await readFree(deps.modelsDir), deps.modelsDir);
      },
      onProgress: ({ receivedBytes, totalBytes }) => {
        const at = nowMs();
        const bytesPerSecond = rate.update(receivedBytes, at);
        const last = totalBytes !== null && receivedBytes >= totalBytes;
        if (!last && at - lastEmitMs < progressIntervalMs) return;
        lastEmitMs = at;
        emit({
          phase: 'downloading',
          receivedBytes,
          totalBytes,
          bytesPerSecond,
          etaSeconds: etaSeconds(receivedBytes, totalBytes, bytesPerSecond),
        });
      },
    });
  } catch (error) {
    if (error instanceof PullError && error.code === 'checksum') await removePartial(partialPath);
    throw error;
  }

  emit({
    phase: 'verifying',
    receivedBytes: result.sizeBytes,
    totalBytes: result.sizeBytes,
    bytesPerSecond: null,
    etaSeconds: null,
  });
  if (target.sizeBytes !== null && result.sizeBytes !== target.sizeBytes) {
    await removePartial(partialPath);
    throw new PullError(
      'checksum',
      `${url} gave ${result.sizeBytes} bytes, the published file has ${target.sizeBytes}; the partial file was removed, pull again to fetch it afresh`,
    );
  }
  if (target.sha256 !== null && result.sha256 !== target.sha256) {
    await removePartial(partialPath);
    throw new PullError(
      'checksum',
      `checksum mismatch for ${url}: expected sha256 ${target.sha256}, got ${result.sha256}; the partial file was removed, pull again to fetch it afresh`,
    );
  }
  await mkdir(path.dirname(finalPath), { recursive: true });
  await rename(partialPath, finalPath);
  await rm(partialMetaPath(partialPath), { force: true });
  emit({
    phase: 'done',
    receivedBytes: result.sizeBytes,
    totalBytes: result.sizeBytes,
    bytesPerSecond: null,
    etaSeconds: null,
  });
  return {
    key: target.key,
    path: finalPath,
    sizeBytes: result.sizeBytes,
    sha256: result.sha256,
    verified: target.sha256 !== null,
    alreadyPresent: false,
    resumedFromBytes: result.resumedFromBytes,
  };
}
