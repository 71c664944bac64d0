import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from './loadConfig';

/**
 * The last parsed configuration, under the key of the exact texts (and Mai version) it came from. The key is a
 * SHA-256 of everything parsing reads, so a file that changed in any byte misses, and nothing but a match is
 * trusted: the value is what this code wrote for those very texts.
 */
interface CacheFile {
  key: string;
  config: LoadedConfig;
}

export function readCachedConfig(file: string, key: string): LoadedConfig | null {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
    return cached.key === key && cached.config ? cached.config : null;
  } catch {
    // Absent or unreadable: parsed afresh, and written again.
    return null;
  }
}

export function writeCachedConfig(file: string, key: string, config: LoadedConfig): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key, config } satisfies CacheFile));
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs the next start its parse.
  }
}
