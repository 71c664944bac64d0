/**
 * `$MAI_HOME/measurements.json`: what each model file really took at its last load, so later estimates for it
 * can start from reality. One record per file, keyed by engine + path, valid only while the file keeps the size
 * and modification time it had when measured (a re-download or an edit drops it). Reads never throw: a missing or
 * broken file is an empty store, and the next write replaces it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const MeasurementSchema = z.object({
  backend: z.string(),
  /** The GGUF file (embedded) or the engine's own path for it (LM Studio); the key when there is none. */
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Null where Mai cannot stat the file (LM Studio's relative paths): then the size alone must match. */
  mtimeMs: z.number().nullable(),
  contextLength: z.number().int().positive(),
  ramBytes: z.number().int().nonnegative(),
  /** Null when the load's VRAM was not measured: the estimate's VRAM stands. */
  vramBytes: z.number().int().nonnegative().nullable(),
  /**
   * How far to trust it: `working-set` (measured through a real answer), `mapped` (at load, every mapped page of
   * the file counted: an upper bound until an answer tells which pages are read), `above-estimate` (another
   * process: MemAvailable fell by more than estimated).
   */
  quality: z.enum(['working-set', 'mapped', 'above-estimate']),
  measuredAtMs: z.number(),
});
export type Measurement = z.infer<typeof MeasurementSchema>;

const FileSchema = z.object({ version: z.literal(1), measurements: z.array(MeasurementSchema) });

export const measurementsFileName = 'measurements.json';

/** The identity of a file as far as the store is concerned. */
export interface FileIdentity {
  backend: string;
  path: string;
  sizeBytes: number;
  mtimeMs: number | null;
}

const idOf = (file: Pick<FileIdentity, 'backend' | 'path'>) => `${file.backend}\u0000${file.path}`;

/** Whether a measurement still describes the file as it is now. Pure. */
export function stillValid(measurement: Measurement, now: FileIdentity): boolean {
  if (measurement.sizeBytes !== now.sizeBytes) return false;
  return measurement.mtimeMs === null || now.mtimeMs === null || measurement.mtimeMs === now.mtimeMs;
}

export class MeasurementStore {
  private records: Map<string, Measurement> | null = null;

  /** `file` null keeps everything in memory (tests, or a Mai without a home folder). */
  constructor(private readonly file: string | null) {}

  private load(): Map<string, Measurement> {
    if (this.records) return this.records;
    this.records = new Map();
    if (this.file === null) return this.records;
    try {
      const parsed = FileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      for (const record of parsed.success ? parsed.data.measurements : []) this.records.set(idOf(record), record);
    } catch {
      // Missing or unreadable: start empty; the next record rewrites the file.
    }
    return this.records;
  }

  /** The measurement of this file, or null; one of a changed file is dropped (and the file rewritten). */
  get(now: FileIdentity): Measurement | null {
    const records = this.load();
    const record = records.get(idOf(now));
    if (!record) return null;
    if (stillValid(record, now)) return record;
    records.delete(idOf(now));
    this.save();
    return null;
  }

  put(record: Measurement): void {
    this.load().set(idOf(record), record);
    this.save();
  }

  private save(): void {
    if (this.file === null) return;
    const body = JSON.stringify({ version: 1, measurements: [...this.load().values()] }, null, 2);
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      // Written beside and renamed, so a crash mid-write never leaves half a file.
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${body}\n`);
      renameSync(temporary, this.file);
    } catch {
      // A read-only home only costs the learning; estimates still work.
    }
  }
}
