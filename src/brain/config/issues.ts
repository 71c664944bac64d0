import type { z } from 'zod';
import type { ConfigErrorInfo } from './ConfigError';
import type { YamlSource } from './yamlSource';

export type ConfigPath = readonly PropertyKey[];

/** Maps a path in the validated data to the same value's path in the file; null where the file does not hold it. */
export type PathMapper = (path: ConfigPath) => ConfigPath | null;

const identifier = /^[A-Za-z_][\w-]*$/;

/** `models[2].min_memory_gb`; a key that is not a plain name is quoted: `fallback_chains["my chain"][0]`. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (identifier.test(String(segment))) text += text === '' ? String(segment) : `.${String(segment)}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

/** The name a message starts with: the last field and any list indexes after it, e.g. `capabilities[1]`. */
function fieldLabel(path: ConfigPath): string {
  const lastKey = path.findLastIndex((segment) => typeof segment !== 'number');
  if (lastKey === -1) return path.length === 0 ? 'the file' : formatPath(path);
  return formatPath(path.slice(lastKey));
}

const previewChars = 80;

/** The offending value as the user wrote it, cut short so a whole mapping does not flood the message. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > previewChars ? `${text.slice(0, previewChars - 1)}…` : text;
}

export function valueAt(data: unknown, path: ConfigPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/**
 * Turns zod's issues into records naming file, line, field path and offending value. The schemas phrase their
 * messages as what a field "must be", so each reads `<field> <message>, got <value>`.
 */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  source: YamlSource,
  toFilePath: PathMapper,
): ConfigErrorInfo[] {
  return issues.flatMap((issue) => {
    const unknownFields = issue.code === 'unrecognized_keys' ? issue.keys : null;
    const dataPaths = unknownFields ? unknownFields.map((key) => [...issue.path, key]) : [issue.path];
    const message = unknownFields ? 'is not a known field' : issue.message;
    return dataPaths.map((dataPath) => {
      const filePath = toFilePath(dataPath);
      const shownPath = filePath ?? dataPath;
      const value = valueAt(data, dataPath);
      const got = value === undefined ? '' : `, got ${preview(value)}`;
      return {
        file: source.file,
        line: filePath ? source.lineOf(filePath) : null,
        path: formatPath(shownPath),
        message: `${fieldLabel(shownPath)} ${message}${got}`,
      };
    });
  });
}
