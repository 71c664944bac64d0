/**
 * Learns what models really take from every load, and hands the figures to the catalog.
 *
 * The rule, per engine:
 * - embedded (llama.cpp in Mai's own process): the growth of the process's anonymous memory across load +
 *   context (weights read or repacked, KV cache, vocabulary), plus the model file's mapped pages that are in use,
 *   plus the compute buffers' share that fills only at the first prompt (from the estimate). Which mapped pages
 *   are in use shows only once the model has answered: the kernel's "referenced" bits are cleared at the end of
 *   the load and read before it is unloaded. Until then every mapped page counts (an upper bound: llama.cpp maps
 *   the whole file, and the weights it repacks are resident twice). Other programs cannot disturb these figures:
 *   they are the process's own.
 * - LM Studio (another process): the fall in MemAvailable across the load, which other programs move too, and
 *   which cannot see a mapped file's pages. So it is kept only when it is above the estimate (the engine took
 *   more than Mai expected) and at most twice it (beyond that, something else took memory meanwhile); a reused
 *   instance cost nothing and is not measured.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { EstimateRequest, MemoryEstimate } from '../backends/estimate';
import type { BackendId, ModelInfo } from '../backends/ModelBackend';
import type { Clock } from '../clock';
import type { FileIdentity, Measurement, MeasurementStore } from './measurementStore';
import {
  clearReferencedPages,
  readMappedFile,
  readMemAvailableBytes,
  readProcessMemory,
  type MappedFilePages,
} from './processMemory';

/** The readings a measurement is made of; /proc by default. */
export interface MemoryReadings {
  processAnonBytes(): number | null;
  memAvailableBytes(): number | null;
  mappedFile(path: string): MappedFilePages | null;
  clearReferenced(): boolean;
}

export const procReadings: MemoryReadings = {
  processAnonBytes: () => readProcessMemory()?.anonBytes ?? null,
  memAvailableBytes: readMemAvailableBytes,
  mappedFile: readMappedFile,
  clearReferenced: clearReferencedPages,
};

/** A model that read fewer of its mapped pages than this share has not answered yet: its load figure stands. */
const answeredShare = 0.01;
/** Another process's MemAvailable fall above this multiple of the estimate is other programs' doing. */
const plausibleFallMultiple = 2;

interface Known {
  info: ModelInfo;
  estimate: MemoryEstimate;
}

/** An embedded load waiting for its model to answer, to learn which mapped pages it reads. */
interface Pending {
  record: Measurement;
  anonBytes: number;
  computeBytes: number;
  mappedBytes: number;
  referencedBytes: number;
}

export interface LoadProbe {
  finish(loaded: { contextLength: number; reused?: boolean }): Promise<void>;
}

const keyOf = (backend: BackendId, key: string) => `${backend}\u0000${key}`;

export class LoadMeasurements {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Pending>();
  private readonly readings: MemoryReadings;

  constructor(private readonly deps: { store: MeasurementStore; clock: Clock; readings?: MemoryReadings }) {
    this.readings = deps.readings ?? procReadings;
  }

  /** The catalog tells which file a key is and what it estimated (at the context a load would use). */
  remember(model: ModelInfo, request: EstimateRequest, estimate: MemoryEstimate): void {
    if (request.contextLength > 0) this.known.set(keyOf(model.backend, model.key), { info: model, estimate });
  }

  /** The valid measurement of this model's file, or null (none yet, or the file changed since). */
  async lookup(model: ModelInfo): Promise<Measurement | null> {
    const identity = await identify(model);
    return identity ? this.deps.store.get(identity) : null;
  }

  /** Call before the engine loads `key`; `finish` once it has, with the context it got. */
  begin(backend: BackendId, key: string): LoadProbe {
    const known = this.known.get(keyOf(backend, key));
    // A new load clears the referenced bits again: keep what the models loaded earlier have read so far.
    for (const pending of this.pending.values()) this.noteReferenced(pending);
    const anonBefore = this.readings.processAnonBytes();
    const availableBefore = this.readings.memAvailableBytes();
    return {
      finish: async (loaded) => {
        if (!known || loaded.reused) return;
        const identity = await identify(known.info);
        if (!identity) return;
        const base = { ...identity, contextLength: loaded.contextLength, measuredAtMs: this.deps.clock.nowMs() };
        try {
          if (backend === 'embedded') this.finishInProcess(key, known, base, anonBefore);
          else this.finishElsewhere(known, base, availableBefore);
        } catch {
          // Learning is a bonus: a reading that fails leaves the estimate in charge, never fails the load.
        }
      },
    };
  }

  /** Call before a model is unloaded: what it read while it answered turns its load figure into a working set. */
  beforeUnload(backend: BackendId, key: string): void {
    const pending = this.pending.get(keyOf(backend, key));
    if (!pending) return;
    this.pending.delete(keyOf(backend, key));
    this.noteReferenced(pending);
    if (pending.referencedBytes < answeredShare * pending.mappedBytes) return;
    const ramBytes = pending.anonBytes + pending.referencedBytes + pending.computeBytes;
    this.deps.store.put({ ...pending.record, ramBytes, quality: 'working-set' });
  }

  private finishInProcess(
    key: string,
    known: Known,
    base: Omit<Measurement, 'ramBytes' | 'vramBytes' | 'quality'>,
    anonBefore: number | null,
  ): void {
    const anonAfter = this.readings.processAnonBytes();
    if (anonBefore === null || anonAfter === null) return;
    const anonBytes = Math.max(0, anonAfter - anonBefore);
    const mappedBytes = this.readings.mappedFile(base.path)?.residentBytes ?? 0;
    // On the CPU the compute buffers are reserved at load but fill at the first prompt; on a GPU they are VRAM.
    const computeBytes = known.estimate.vramBytes > 0 ? 0 : known.estimate.breakdown.compute;
    const record: Measurement = {
      ...base,
      ramBytes: anonBytes + mappedBytes + computeBytes,
      vramBytes: null,
      quality: mappedBytes > 0 ? 'mapped' : 'working-set',
    };
    this.deps.store.put(record);
    if (mappedBytes > 0 && this.readings.clearReferenced()) {
      this.pending.set(keyOf('embedded', key), { record, anonBytes, computeBytes, mappedBytes, referencedBytes: 0 });
    }
  }

  private finishElsewhere(
    known: Known,
    base: Omit<Measurement, 'ramBytes' | 'vramBytes' | 'quality'>,
    availableBefore: number | null,
  ): void {
    const availableAfter = this.readings.memAvailableBytes();
    if (availableBefore === null || availableAfter === null) return;
    const fallBytes = availableBefore - availableAfter;
    const estimated = known.estimate.ramBytes;
    if (fallBytes <= estimated || fallBytes > plausibleFallMultiple * estimated) return;
    this.deps.store.put({ ...base, ramBytes: fallBytes, vramBytes: null, quality: 'above-estimate' });
  }

  private noteReferenced(pending: Pending): void {
    const referenced = this.readings.mappedFile(pending.record.path)?.referencedBytes ?? 0;
    pending.referencedBytes = Math.max(pending.referencedBytes, referenced);
  }
}

/** Engine + path + size + mtime; LM Studio's relative paths cannot be stat'ed, so their size alone identifies. */
async function identify(model: ModelInfo): Promise<FileIdentity | null> {
  const path = model.path ?? model.key;
  if (model.path && isAbsolute(model.path)) {
    const stats = await stat(model.path).catch(() => null);
    if (!stats) return null;
    return { backend: model.backend, path, sizeBytes: stats.size, mtimeMs: Math.round(stats.mtimeMs) };
  }
  return { backend: model.backend, path, sizeBytes: model.sizeBytes, mtimeMs: null };
}
