import { stat } from 'node:fs/promises';
import type { GgufFileInfo } from 'node-llama-cpp';
import { loadNodeLlamaCpp } from '../lazyModules';
import type { GgufProfile } from '../ModelBackend';
import { findIntegrityProblem } from './checkGgufIntegrity';
import { profileFromFileInfo, type GgufDetails } from './ggufProfile';

export interface UsableGguf {
  usable: true;
  path: string;
  /** All parts together for a split model. */
  fileSizeBytes: number;
  profile: GgufProfile;
  details: GgufDetails;
  fileInfo: GgufFileInfo;
}

export interface UnusableGguf {
  usable: false;
  path: string;
  fileSizeBytes: number | null;
  /** For a person: what is wrong with the file, e.g. "the file is truncated: …". */
  reason: string;
}

export type GgufInsight = UsableGguf | UnusableGguf;

/** What listing needs of a header, and what is kept of it between runs: the insight without node-llama-cpp's object. */
export type GgufHeader = Omit<UsableGguf, 'fileInfo'> | UnusableGguf;

export interface ReadGgufOptions {
  signal?: AbortSignal;
  /** A corrupt length field can make the reader crawl through a large file; 10 s is far above a healthy read. */
  timeoutMs?: number;
  /**
   * Keep the token list, scores and merges (megabytes for a 150k vocabulary). Listing does not need them (only
   * their counts, which size the engine's vocabulary tables); an estimate through node-llama-cpp's GgufInsights
   * does (it sizes the output buffer from the vocabulary).
   */
  keepTokenizer?: boolean;
}

const tokenizerKeys = [
  'tokenizer.ggml.tokens',
  'tokenizer.ggml.scores',
  'tokenizer.ggml.token_type',
  'tokenizer.ggml.merges',
];

/** Lets go of the token list, scores and merges once they are counted: a listing keeps many headers. */
function dropTokenizerLists(info: GgufFileInfo): void {
  const ggml: unknown = (info.metadata as { tokenizer?: { ggml?: unknown } }).tokenizer?.ggml;
  if (ggml === null || typeof ggml !== 'object') return;
  for (const key of tokenizerKeys) delete (ggml as Record<string, unknown>)[key.slice('tokenizer.ggml.'.length)];
}

/** Turns whatever the reader threw into a sentence for a person. */
export function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'the file does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'Mai may not read the file (permission denied)';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'InvalidGgufMagicError' || error?.constructor?.name === 'InvalidGgufMagicError') {
    return 'it is not a GGUF file (it does not start with the "GGUF" signature)';
  }
  if (name === 'TimeoutError' || name === 'AbortError') return `reading its header was stopped (${message})`;
  if (error?.constructor?.name === 'UnsupportedGgufValueTypeError') {
    return `its header is corrupt or from a newer GGUF version (${message})`;
  }
  return `its header is corrupt (${message})`;
}

async function partSizes(info: GgufFileInfo, path: string): Promise<number[]> {
  const paths = info.sourceData.flatMap((part) => (part.type === 'path' ? [part.path] : []));
  return Promise.all((paths.length > 0 ? paths : [path]).map(async (partPath) => (await stat(partPath)).size));
}

/** Reads a GGUF header into Mai's profile. Never throws: a bad file comes back as `{ usable: false, reason }`. */
export async function readGgufInsight(path: string, options: ReadGgufOptions = {}): Promise<GgufInsight> {
  let fileSizeBytes: number | null = null;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) return { usable: false, path, fileSizeBytes, reason: 'it is not a regular file' };
    fileSizeBytes = stats.size;
    if (stats.size === 0) return { usable: false, path, fileSizeBytes, reason: 'the file is empty' };
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    // Read whole: the reader parses ignored keys all the same, and the merges' count is needed (see GgufDetails).
    const { readGgufFileInfo } = await loadNodeLlamaCpp();
    const fileInfo = await readGgufFileInfo(path, {
      sourceType: 'filesystem',
      logWarnings: false,
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    const sizes = await partSizes(fileInfo, path);
    fileSizeBytes = sizes.reduce((sum, size) => sum + size, 0);
    const problem = findIntegrityProblem(fileInfo, sizes);
    if (problem) return { usable: false, path, fileSizeBytes, reason: problem };
    const mapped = profileFromFileInfo(fileInfo);
    if (!mapped.ok) return { usable: false, path, fileSizeBytes, reason: mapped.reason };
    if (!options.keepTokenizer) dropTokenizerLists(fileInfo);
    return { usable: true, path, fileSizeBytes, profile: mapped.profile, details: mapped.details, fileInfo };
  } catch (error) {
    return { usable: false, path, fileSizeBytes, reason: describeReadError(error) };
  }
}
