import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ModelInfo } from '../ModelBackend';
import { formatParameterCount } from '../gguf/parameterCount';
import { readGgufInsight, type GgufHeader } from '../gguf/readGgufInsight';

/** LM Studio's models folders: the current one first, then the pre-0.3 location. */
export function lmStudioModelsDirs(homeDir: string): string[] {
  return [path.join(homeDir, '.lmstudio', 'models'), path.join(homeDir, '.cache', 'lm-studio', 'models')];
}

/** `MAI_MODELS_DIR` as a list, split like PATH (';' on Windows, ':' elsewhere); empty entries dropped. Pure. */
export function parseModelsDirList(value: string | undefined, platform: NodeJS.Platform): string[] {
  if (!value) return [];
  const separator = platform === 'win32' ? ';' : ':';
  return value
    .split(separator)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** Every folder discovery looks in, in order of precedence (a key found twice keeps its first file). Pure. */
export function defaultModelsDirs(env: Record<string, string | undefined>, platform: NodeJS.Platform, homeDir: string) {
  return [...lmStudioModelsDirs(homeDir), ...parseModelsDirList(env.MAI_MODELS_DIR, platform)];
}

export interface FoundGguf {
  path: string;
  /** LM Studio style: path below the models folder without ".gguf", '/'-separated; the stem for a flat folder. */
  key: string;
  /** A CLIP/mmproj image projector by its name; it belongs to the model(s) beside it. */
  isProjector: boolean;
}

// LM Studio keeps publisher/repo/file.gguf (depth 2 below the root); 4 leaves room for a user's own nesting
// without walking a whole disk when MAI_MODELS_DIR points somewhere too broad.
const defaultMaxDepth = 4;
const projectorName = /mmproj|vision[-_.]?(?:adapter|projector)|clip[-_.]?model/i;
// Parts 2..n of a split model are read through part 1 (readGgufFileInfo splices them).
const laterSplitPart = /-(?!0+1-)\d{5}-of-\d{5}\.gguf$/i;

/** GGUF files under the roots, recursively to `maxDepth` folders, following links once. Missing roots are skipped. */
export async function findGgufFiles(roots: readonly string[], maxDepth = defaultMaxDepth): Promise<FoundGguf[]> {
  const found: FoundGguf[] = [];
  const seenKeys = new Set<string>();
  const visitedDirs = new Set<string>();

  async function walk(root: string, dir: string, depth: number): Promise<void> {
    const real = await realpath(dir).catch(() => null);
    if (real === null || visitedDirs.has(real)) return;
    visitedDirs.add(real);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const entryPath = path.join(dir, entry.name);
      const kind = entry.isSymbolicLink() ? await stat(entryPath).catch(() => null) : entry;
      if (kind?.isDirectory()) {
        if (depth < maxDepth) await walk(root, entryPath, depth + 1);
      } else if (kind?.isFile() && /\.gguf$/i.test(entry.name) && !laterSplitPart.test(entry.name)) {
        const key = path
          .relative(root, entryPath)
          .split(path.sep)
          .join('/')
          .replace(/\.gguf$/i, '');
        if (seenKeys.has(key)) continue;
        seenKeys.add(key);
        found.push({ path: entryPath, key, isProjector: projectorName.test(entry.name) });
      }
    }
  }

  for (const root of roots) await walk(path.resolve(root), path.resolve(root), 0);
  return found;
}

/** One discovered model: Mai's listing entry and the header it came from (for estimates and loading). */
export interface DiscoveredModel {
  info: ModelInfo;
  insight: GgufHeader;
}

/** Builds the listing entry for a GGUF file. Pure. */
export function modelInfoFromInsight(key: string, insight: GgufHeader, vision: boolean): ModelInfo {
  const stem = path.basename(insight.path).replace(/\.gguf$/i, '');
  if (!insight.usable) {
    return {
      key,
      displayName: stem,
      backend: 'embedded',
      path: insight.path,
      sizeBytes: insight.fileSizeBytes ?? 0,
      paramsString: null,
      architecture: null,
      quantization: null,
      maxContextLength: null,
      vision,
      trainedForToolUse: false,
      usable: false,
      unusableReason: insight.reason,
      gguf: null,
    };
  }
  const { profile, details } = insight;
  // Converters often write the architecture ("llama") as the name; the file name says more then.
  const named = details.name !== null && details.name.toLowerCase() !== profile.architecture.toLowerCase();
  return {
    key,
    displayName: named ? (details.name ?? stem) : stem,
    backend: 'embedded',
    path: insight.path,
    sizeBytes: insight.fileSizeBytes,
    paramsString: details.sizeLabel ?? formatParameterCount(profile.parameterCount),
    architecture: profile.architecture,
    quantization: profile.quantization,
    maxContextLength: profile.contextLength || null,
    vision,
    // LM Studio's own test: a chat template that takes tools was trained for them.
    trainedForToolUse: details.chatTemplate?.includes('tools') ?? false,
    usable: true,
    unusableReason: null,
    gguf: profile,
  };
}

export type InsightReader = (filePath: string) => Promise<GgufHeader>;

/**
 * Lists the GGUF models under the roots. Projector files are not models of their own: they mark the models in
 * their folder as vision-capable. Unreadable files are listed as unusable with the reason, never thrown.
 */
export async function discoverModels(
  roots: readonly string[],
  options: { maxDepth?: number; readInsight?: InsightReader } = {},
): Promise<DiscoveredModel[]> {
  const read = options.readInsight ?? ((filePath: string) => readGgufInsight(filePath));
  const files = await findGgufFiles(roots, options.maxDepth);
  const insights = await Promise.all(files.map((file) => read(file.path)));
  const isProjector = files.map(
    (file, index) =>
      file.isProjector || (insights[index]?.usable === true && insights[index].details.isVisionProjector),
  );
  const projectorDirs = new Set(files.filter((_, index) => isProjector[index]).map((file) => path.dirname(file.path)));
  return files.flatMap((file, index) => {
    const insight = insights[index];
    if (isProjector[index] || !insight) return [];
    return [{ info: modelInfoFromInsight(file.key, insight, projectorDirs.has(path.dirname(file.path))), insight }];
  });
}
