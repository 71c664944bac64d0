/**
 * What this process and the machine hold, read from Linux's /proc: the figures a load is measured with (see
 * measureLoad.ts). Every reader returns null where /proc is missing (macOS, Windows) or unreadable, never throws.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface ProcessMemory {
  /** VmRSS: every resident page mapped by the process, its own and shared ones. */
  rssBytes: number;
  /** RssAnon: anonymous pages (heap, malloc'd buffers, a model read without mmap): only RAM or swap holds them. */
  anonBytes: number;
  /** RssFile: resident pages of mapped files (libraries, a model mapped with mmap); the page cache holds them. */
  fileBytes: number;
  /** Pss from smaps_rollup: resident pages, each shared one divided among the processes that map it. */
  pssBytes: number | null;
}

const kibField = (text: string, name: string): number | null => {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
  return match?.[1] === undefined ? null : Number(match[1]) * 1024;
};

/** Parses /proc/<pid>/status (and smaps_rollup when given). Pure. */
export function parseProcessMemory(status: string, smapsRollup: string | null): ProcessMemory | null {
  const rssBytes = kibField(status, 'VmRSS');
  const anonBytes = kibField(status, 'RssAnon');
  const fileBytes = kibField(status, 'RssFile');
  if (rssBytes === null || anonBytes === null || fileBytes === null) return null;
  return { rssBytes, anonBytes, fileBytes, pssBytes: smapsRollup === null ? null : kibField(smapsRollup, 'Pss') };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function readProcessMemory(): ProcessMemory | null {
  const status = readText('/proc/self/status');
  return status === null ? null : parseProcessMemory(status, readText('/proc/self/smaps_rollup'));
}

/** MemAvailable: what the kernel could hand out without swapping, the page cache it can drop included. */
export function readMemAvailableBytes(): number | null {
  const meminfo = readText('/proc/meminfo');
  return meminfo === null ? null : kibField(meminfo, 'MemAvailable');
}

/** A mapped file's pages in this process: resident, and referenced since the last `clearReferencedPages`. */
export interface MappedFilePages {
  residentBytes: number;
  referencedBytes: number;
}

/** Sums the smaps entries (one per mapping) of `filePath`; null when the file is not mapped. Pure. */
export function parseMappedFile(smaps: string, filePath: string): MappedFilePages | null {
  let inFile = false;
  let found = false;
  let residentBytes = 0;
  let referencedBytes = 0;
  for (const line of smaps.split('\n')) {
    // A mapping's header: "start-end perms offset dev inode   path".
    const header = /^[0-9a-f]+-[0-9a-f]+\s+\S+\s+\S+\s+\S+\s+\d+\s*(.*)$/.exec(line);
    if (header) {
      inFile = header[1] === filePath;
      found ||= inFile;
      continue;
    }
    if (!inFile) continue;
    const field = /^(Rss|Referenced):\s+(\d+)\s*kB/.exec(line);
    if (field?.[1] === 'Rss') residentBytes += Number(field[2]) * 1024;
    if (field?.[1] === 'Referenced') referencedBytes += Number(field[2]) * 1024;
  }
  return found ? { residentBytes, referencedBytes } : null;
}

export function readMappedFile(filePath: string): MappedFilePages | null {
  const smaps = readText('/proc/self/smaps');
  return smaps === null ? null : parseMappedFile(smaps, filePath);
}

/**
 * Clears the "referenced" bit of every page of this process (writing 1 to /proc/self/clear_refs), so a later
 * `readMappedFile` tells which pages of a mapped model were read since. What it costs: the kernel's page ageing
 * for this process starts over, as after an idle spell. False where it is not possible.
 */
export function clearReferencedPages(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '1');
    return true;
  } catch {
    return false;
  }
}
