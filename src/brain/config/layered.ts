import type { z } from 'zod';
import { ConfigError, type ConfigErrorInfo } from './ConfigError';
import { issuesToErrors, type PathMapper } from './issues';
import { readYamlSource, type ConfigText, type YamlSource } from './yamlSource';

/** The shipped defaults' data with a user file's data laid over it. */
export interface MergedData {
  data: unknown;
  /** Where a path of the merged data sits in the user's file (null: it came from the defaults). */
  toOverridePath: PathMapper;
}

/** One kind of configuration file: its schema and how a user file merges over the defaults. */
export interface ConfigKind<T> {
  schema: z.ZodType<T>;
  merge(defaults: unknown, override: unknown): MergedData;
}

export interface LayeredConfig<T> {
  value: T;
  /** Problems in the user's file; when there are any, `value` is the defaults alone. */
  errors: ConfigErrorInfo[];
}

const samePath: PathMapper = (path) => path;

function validate<T>(kind: ConfigKind<T>, data: unknown, source: YamlSource, toFilePath: PathMapper): T {
  const parsed = kind.schema.safeParse(data);
  if (!parsed.success) throw new ConfigError(issuesToErrors(parsed.error.issues, data, source, toFilePath));
  return parsed.data;
}

/** Parses and validates one complete file (shipped defaults); any problem throws a ConfigError. */
export function parseConfigText<T>(kind: ConfigKind<T>, text: ConfigText): T {
  const source = readYamlSource(text);
  return validate(kind, source.data, source, samePath);
}

/**
 * Shipped defaults with an optional user file over them. Broken defaults are a bug in Mai and throw; a broken user
 * file never stops Mai: its errors come back and the defaults are used for that file, whole (half an override could
 * pair a user's model with a default it was not written against).
 */
export function layerConfig<T>(
  kind: ConfigKind<T>,
  defaults: ConfigText,
  override: ConfigText | null,
): LayeredConfig<T> {
  const base = readYamlSource(defaults);
  const value = validate(kind, base.data, base, samePath);
  if (override === null) return { value, errors: [] };
  try {
    const user = readYamlSource(override);
    // An empty file (or one with only comments) overrides nothing.
    if (user.data === null || user.data === undefined) return { value, errors: [] };
    const merged = kind.merge(base.data, user.data);
    return { value: validate(kind, merged.data, user, merged.toOverridePath), errors: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { value, errors: [...error.errors] };
    throw error;
  }
}
