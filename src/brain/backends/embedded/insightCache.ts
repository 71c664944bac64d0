import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { GgufDetails } from '../gguf/ggufProfile';
import { readGgufInsight, type GgufHeader } from '../gguf/readGgufInsight';
import type { GgufProfile } from '../ModelBackend';
import type { InsightReader } from './discovery';

const count = z.number().int().nonnegative();

const ProfileSchema = z.object({
  architecture: z.string(),
  parameterCount: count.nullable(),
  layerCount: count,
  embeddingLength: count,
  headCount: count,
  headCountKv: count,
  contextLength: count,
  vocabularySize: count.nullable(),
  quantization: z.string().nullable(),
});

const DetailsSchema = z.object({
  name: z.string().nullable(),
  sizeLabel: z.string().nullable(),
  headDimK: count,
  headDimV: count,
  slidingWindow: count.nullable(),
  chatTemplate: z.string().nullable(),
  isVisionProjector: z.boolean(),
  tensorDataBytes: count.nullable(),
  feedForwardLength: count.nullable(),
  tokenEmbeddingBytes: count.nullable(),
  tiedEmbeddings: z.boolean(),
  mergeCount: count.nullable(),
});

// The kept headers are the brain's own types: these fail to compile when a field is added to one and not the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _profileMatches: Same<z.infer<typeof ProfileSchema>, GgufProfile> = true;
const _detailsMatch: Same<z.infer<typeof DetailsSchema>, GgufDetails> = true;

const HeaderSchema = z.discriminatedUnion('usable', [
  z.object({
    usable: z.literal(true),
    path: z.string(),
    fileSizeBytes: count,
    profile: ProfileSchema,
    details: DetailsSchema,
  }),
  z.object({ usable: z.literal(false), path: z.string(), fileSizeBytes: count.nullable(), reason: z.string() }),
]);

const CacheFileSchema = z.object({
  /** The Mai that wrote it: another version may read headers differently, so its figures are not trusted. */
  maiVersion: z.string(),
  entries: z.record(z.string(), z.object({ sizeBytes: count, mtimeMs: z.number(), header: HeaderSchema })),
});
type Entry = z.infer<typeof CacheFileSchema>['entries'][string];

export interface CachedInsightReaderOptions {
  read?: (filePath: string) => Promise<GgufHeader>;
  /**
   * Where headers are kept between runs (`$MAI_HOME/cache/gguf-headers.json`): a listing in a new process then
   * reads no header at all when nothing moved, and never loads node-llama-cpp for it. In memory only without one.
   */
  file?: string;
  maiVersion?: string;
}

/** Drops what is not worth keeping: node-llama-cpp's whole parse (tensor tables, metadata) of a usable file. */
function lean(header: GgufHeader): GgufHeader {
  if (!header.usable) return header;
  const { usable, path: filePath, fileSizeBytes, profile, details } = header;
  return { usable, path: filePath, fileSizeBytes, profile, details };
}

function readCacheFile(file: string, maiVersion: string): Map<string, Entry> {
  try {
    const parsed = CacheFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success && parsed.data.maiVersion === maiVersion) return new Map(Object.entries(parsed.data.entries));
  } catch {
    // Absent or unreadable: a cache, so it is simply built again.
  }
  return new Map();
}

function writeCacheFile(file: string, maiVersion: string, entries: Map<string, Entry>): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ maiVersion, entries: Object.fromEntries(entries) }));
    // Renamed into place, so another Mai reading it at the same moment sees the old file or the new, never half.
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs the next run its reads.
  }
}

/**
 * Re-reads a header only when the file changed (size or modification time), so listing a folder of large models
 * stays cheap when nothing moved, and an interrupted download that later completes is read afresh.
 */
export function createCachedInsightReader(options: CachedInsightReaderOptions = {}): InsightReader {
  const read = options.read ?? ((filePath: string) => readGgufInsight(filePath));
  const maiVersion = options.maiVersion ?? '';
  let cache: Map<string, Entry> | null = null;
  return async (filePath) => {
    cache ??= options.file ? readCacheFile(options.file, maiVersion) : new Map();
    const stats = await stat(filePath).catch(() => null);
    const cached = cache.get(filePath);
    if (stats && cached && cached.sizeBytes === stats.size && cached.mtimeMs === stats.mtimeMs) return cached.header;
    const header = lean(await read(filePath));
    if (stats) {
      cache.set(filePath, { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, header });
      if (options.file) writeCacheFile(options.file, maiVersion, cache);
    }
    return header;
  };
}
