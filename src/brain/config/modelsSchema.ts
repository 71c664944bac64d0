import { sha256HexPattern } from '../../shared/contract';
import { z } from 'zod';
import { expecting, gib, listOf, nonEmptyText, wholeNumber } from './schemaParts';
import { gibToBytes } from './units';

/** Smallest first: the order is what "larger" and "upgrade" mean. */
export const modelCategories = ['small', 'medium', 'large'] as const;
export type ModelCategory = (typeof modelCategories)[number];

export function categoryRank(category: ModelCategory): number {
  return modelCategories.indexOf(category);
}

export const modelCapabilities = ['chat', 'reasoning', 'analysis', 'code', 'vision', 'tools'] as const;
export type ModelCapability = (typeof modelCapabilities)[number];

export const categorySchema = z.enum(modelCategories, expecting(`must be one of ${modelCategories.join(', ')}`));
const capabilitySchema = z.enum(modelCapabilities, expecting(`must be one of ${modelCapabilities.join(', ')}`));
const modelKey = nonEmptyText('a model key');

/** `hf:<owner>/<repo>/<path>.gguf` (optionally `#<branch>`) or a plain http(s) URL of a GGUF file. */
export const downloadUriPattern = /^(?:hf:[^/\s]+\/[^/\s]+\/\S+\.gguf(?:#[^\s#]+)?|https?:\/\/\S+)$/i;

/** Where a model can be fetched from, as its publisher lists it: the bytes and checksum are what `mai pull` checks. */
const RawDownloadSchema = z.strictObject(
  {
    uri: z
      .string(expecting('must be a text'))
      .regex(downloadUriPattern, expecting('must be hf:<owner>/<repo>/<file>.gguf or an http(s) URL')),
    size_bytes: wholeNumber(1, 'bytes'),
    sha256: z
      .string(expecting('must be a text'))
      .regex(sha256HexPattern, expecting('must be 64 hexadecimal digits (a SHA-256)')),
  },
  expecting('must be a mapping with uri:, size_bytes: and sha256:'),
);

/** One entry of `models:` as the file writes it (snake_case, sizes in GiB). */
const RawModelSchema = z.strictObject(
  {
    key: modelKey,
    display_name: nonEmptyText(),
    category: categorySchema,
    min_memory_gb: gib(),
    min_vram_gb: gib(),
    context_window: wholeNumber(1, 'tokens'),
    capabilities: listOf(capabilitySchema, 'capabilities').min(1, expecting('must name at least one capability')),
    fallback: listOf(modelKey, 'model keys').default([]),
    download: RawDownloadSchema.optional(),
  },
  expecting('must be a mapping of model fields'),
);

const RawModelsFileSchema = z.strictObject(
  {
    models: listOf(RawModelSchema, 'models'),
    fallback_chains: z
      .record(z.string(), listOf(modelKey, 'model keys').min(1, expecting('must name at least one model')), {
        ...expecting('must be a mapping of chain names to lists of model keys'),
      })
      .default({}),
  },
  expecting('must be a mapping with models: and fallback_chains:'),
);

type RawModelsFile = z.output<typeof RawModelsFileSchema>;

/** Every key is unique, and every fallback (per model or in a chain) names a listed model other than itself. */
function checkReferences(file: RawModelsFile, ctx: z.RefinementCtx): void {
  const firstIndexOfKey = new Map<string, number>();
  file.models.forEach((model, index) => {
    const first = firstIndexOfKey.get(model.key);
    if (first === undefined) firstIndexOfKey.set(model.key, index);
    else
      ctx.addIssue({
        code: 'custom',
        path: ['models', index, 'key'],
        message: `must be unique (models[${first}] has it too)`,
      });
  });
  const unknownKey = 'must name a model listed under models';
  file.models.forEach((model, index) => {
    model.fallback.forEach((key, position) => {
      const path = ['models', index, 'fallback', position];
      if (key === model.key) ctx.addIssue({ code: 'custom', path, message: 'must name another model' });
      else if (!firstIndexOfKey.has(key)) ctx.addIssue({ code: 'custom', path, message: unknownKey });
    });
  });
  for (const [name, keys] of Object.entries(file.fallback_chains)) {
    keys.forEach((key, position) => {
      if (!firstIndexOfKey.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['fallback_chains', name, position], message: unknownKey });
      }
    });
  }
}

/** models.yaml, validated and turned into the camelCase, bytes-and-tokens shape the brain uses. */
export const ModelsConfigSchema = RawModelsFileSchema.superRefine(checkReferences).transform((file) => ({
  models: file.models.map((model) => ({
    key: model.key,
    displayName: model.display_name,
    category: model.category,
    minMemoryBytes: gibToBytes(model.min_memory_gb),
    minVramBytes: gibToBytes(model.min_vram_gb),
    contextWindowTokens: model.context_window,
    capabilities: model.capabilities,
    /** Keys to try, in order, when this model cannot load or run. */
    fallback: model.fallback,
    /** Where `mai pull` fetches it from; absent for models Mai only uses where they already are. */
    download: model.download
      ? { uri: model.download.uri, sizeBytes: model.download.size_bytes, sha256: model.download.sha256.toLowerCase() }
      : null,
  })),
  /** Named ordered lists of keys, e.g. `vision`: where to go for a capability rather than from one model. */
  fallbackChains: file.fallback_chains,
}));

export type ModelsConfig = z.output<typeof ModelsConfigSchema>;
export type ModelEntry = ModelsConfig['models'][number];
export type DownloadableEntry = ModelEntry & { download: NonNullable<ModelEntry['download']> };

/** An entry `mai pull` can fetch: it carries a `download:`. */
export function hasDownload(entry: ModelEntry): entry is DownloadableEntry {
  return entry.download !== null;
}
