import { stat } from 'node:fs/promises';
import { readGgufInsight, type GgufInsight } from '../gguf/readGgufInsight';
import type { InsightReader } from './discovery';

/**
 * Re-reads a header only when the file changed (size or modification time), so listing a folder of large models
 * stays cheap when nothing moved, and an interrupted download that later completes is read afresh.
 */
export function createCachedInsightReader(read: InsightReader = (filePath) => readGgufInsight(filePath)) {
  const cache = new Map<string, { sizeBytes: number; mtimeMs: number; insight: GgufInsight }>();
  const reader: InsightReader = async (filePath) => {
    const stats = await stat(filePath).catch(() => null);
    const cached = cache.get(filePath);
    if (stats && cached && cached.sizeBytes === stats.size && cached.mtimeMs === stats.mtimeMs) return cached.insight;
    const insight = await read(filePath);
    if (stats) cache.set(filePath, { sizeBytes: stats.size, mtimeMs: stats.mtimeMs, insight });
    return insight;
  };
  return reader;
}
