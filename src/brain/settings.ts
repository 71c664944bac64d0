import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ConfigErrorInfo } from '../shared/contract';

/** Choices a person made that outlive a run (`mai switch` without a running Mai writes them). */
export const SettingsSchema = z.object({
  /** The model Mai answers with from the start, or null for automatic choice. */
  pinnedModel: z.string().min(1).nullable().default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const settingsFileName = 'settings.json';

/** Reads `$MAI_HOME/settings.json`; a missing file is the defaults, a broken one is the defaults plus an error. */
export function readSettings(maiHome: string): { settings: Settings; errors: ConfigErrorInfo[] } {
  const file = path.join(maiHome, settingsFileName);
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
