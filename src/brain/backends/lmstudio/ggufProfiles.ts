import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readGgufInsight } from '../gguf/readGgufInsight';
import type { GgufProfile, ModelInfo } from '../ModelBackend';

/** Headers already read, keyed by file, size and modification time: a listing re-reads only what changed. */
export type ProfileCache = Map<string, GgufProfile | null>;

async function profileOf(relativePath: string, modelsDirs: readonly string[], cache: ProfileCache) {
  for (const dir of modelsDirs) {
    const file = path.resolve(dir, relativePath);
    // LM Studio's path must stay inside its folder; anything else is not a file Mai should open.
    if (!file.startsWith(path.resolve(dir) + path.sep)) continue;
    const stats = await stat(file).catch(() => null);
    if (!stats?.isFile()) continue;
    const key = `${file}\0${stats.size}\0${stats.mtimeMs}`;
    if (!cache.has(key)) {
      // A header read is bounded, and a bad file is LM Studio's to report at load time: no profile, no error.
      const insight = await readGgufInsight(file, { timeoutMs: 5_000 });
      cache.set(key, insight.usable ? insight.profile : null);
    }
    return cache.get(key) ?? null;
  }
  return null;
}

/**
 * Adds the GGUF profile (layers, heads, context) to models whose file Mai can read, i.e. when LM Studio runs on this
 * machine and keeps its models where Mai looks. Models Mai cannot read keep `gguf: null`.
 */
export async function withGgufProfiles(
  models: ModelInfo[],
  modelsDirs: readonly string[],
  cache: ProfileCache,
): Promise<ModelInfo[]> {
  if (modelsDirs.length === 0) return models;
  return Promise.all(
    models.map(async (model) => {
      const gguf = model.path === null ? null : await profileOf(model.path, modelsDirs, cache);
      return gguf === null ? model : { ...model, gguf };
    }),
  );
}
