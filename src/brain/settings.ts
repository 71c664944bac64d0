import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ConfigErrorInfo } from '../shared/contract';

/**
 * `$MAI_HOME/settings.json`: choices a person made that outlive a run. This module is its one owner: the brain
 * reads it at start, and `mai switch` writes it through here when no Mai is running to take the choice at once.
 */
export const SettingsSchema = z.object({
  /** The model Mai answers with from the start, or null for automatic choice. */
  pinnedModel: z.string().min(1).nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsFileName = 'settings.json';

export function settingsFilePath(maiHome: string): string {
  return path.join(maiHome, settingsFileName);
}

/** A settings file Mai must not overwrite: writing would lose what the person put there. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Reads `$MAI_HOME/settings.json`; a missing file is the defaults, a broken one is the defaults plus an error. */
export function readSettings(maiHome: string): { settings: Settings; errors: ConfigErrorInfo[] } {
  const file = settingsFilePath(maiHome);
  const defaults: Settings = { pinnedModel: null };
  if (!existsSync(file)) return { settings: defaults, errors: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return {
      settings: defaults,
      errors: [{ file, line: null, path: '', message: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (parsed.success) return { settings: parsed.data, errors: [] };
  return {
    settings: defaults,
    errors: parsed.error.issues.map((issue) => ({
      file,
      line: null,
      path: issue.path.join('.'),
      message: `${issue.message}, got ${JSON.stringify(issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k as PropertyKey], raw))}`,
    })),
  };
}

/** The file as an object, to be updated in place; anything else is refused rather than overwritten. */
function readObjectForUpdate(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new SettingsError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(
      `${file} is not valid JSON (${(error as Error).message}); fix or delete it, then try again`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SettingsError(
      `${file} must hold a JSON object like {"pinnedModel": null}; fix or delete it, then try again`,
    );
  }
  return raw as Record<string, unknown>;
}

/** Records the pinned model (null: automatic), keeping any other settings the file holds; returns the file. */
export function writePinnedModel(maiHome: string, pinnedModel: string | null): string {
  const file = settingsFilePath(maiHome);
  const settings = { ...readObjectForUpdate(file), pinnedModel };
  mkdirSync(maiHome, { recursive: true });
  // Write then rename, so a brain starting at the same moment never reads half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}
