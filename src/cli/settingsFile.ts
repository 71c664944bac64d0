import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from './exitCodes';

/**
 * `$MAI_HOME/settings.json`, `{ "pinnedModel": "<key>" | null }`: the choices that outlive a run. The brain reads it
 * at start (src/brain/settings.ts); the CLI writes it when no Mai is running to take the choice at once.
 */
export const settingsFileName = 'settings.json';

export function settingsFilePath(maiHome: string): string {
  return path.join(maiHome, settingsFileName);
}

function readObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON (${(error as Error).message}); fix or delete it, then try again`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CliError(`${file} must hold a JSON object like {"pinnedModel": null}; fix or delete it, then try again`);
  }
  return raw as Record<string, unknown>;
}

/** Records the pinned model (null: automatic), keeping any other settings the file holds. */
export function writePinnedModel(maiHome: string, pinnedModel: string | null): string {
  const file = settingsFilePath(maiHome);
  const settings = { ...readObject(file), pinnedModel };
  mkdirSync(maiHome, { recursive: true });
  // Write then rename, so a brain starting at the same moment never reads half a file.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

/** The model `mai switch` saved for the next start, or null (automatic). */
export function readPinnedModel(maiHome: string): string | null {
  const { pinnedModel } = readObject(settingsFilePath(maiHome));
  return typeof pinnedModel === 'string' && pinnedModel !== '' ? pinnedModel : null;
}
