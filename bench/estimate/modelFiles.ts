/**
 * The bench's models: the two real fixtures, and random-weight GGUFs of published shapes written on demand into a
 * temp folder, one at a time, removed as soon as their cases are measured. Before writing one the free disk is
 * checked (statfs); a size that does not fit is skipped, and the bench says so.
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureModelPath } from '../../test/fixtures';
import { readLlamaTokenizer, writeSyntheticLlama } from '../../test/gguf/syntheticLlama';
import { realShapedTensors, writeRealShapedModel, type WeightScheme } from '../../test/gguf/realShapedModel';
import { realShapes, type RealShapeName } from '../../test/gguf/realShapes';
import { tensorDataBytes } from '../../test/gguf/writeGguf';

export interface BenchModel {
  name: string;
  /** Bytes the file will take, known before it is written (0 for a fixture, which is already there). */
  plannedBytes: number;
  /** Writes the file when needed and gives its path; `release` removes what `open` wrote. */
  open(dir: string): Promise<string>;
  release(file: string): void;
}

const keep = () => undefined;
const remove = (file: string) => rmSync(file, { force: true });

function fixture(name: 'stories260K' | 'llamaTinyRandom'): BenchModel {
  return { name, plannedBytes: 0, open: async () => fixtureModelPath(name), release: keep };
}

/** Llama-2-vocabulary F16 models of a few hundred MB: the size between the fixtures and the real shapes. */
function smallSynthetic(name: string, shape: Parameters<typeof writeSyntheticLlama>[1]): BenchModel {
  const perLayer = 2 * shape.embedding ** 2 + 2 * shape.embedding * ((shape.embedding / shape.heads) * shape.kvHeads);
  const elements = shape.layers * (perLayer + 3 * shape.embedding * shape.feedForward) + 2 * 32_000 * shape.embedding;
  return {
    name,
    plannedBytes: elements * 2,
    open: async (dir) => {
      const file = path.join(dir, `${name}.gguf`);
      writeSyntheticLlama(file, shape, await readLlamaTokenizer(fixtureModelPath('llamaTinyRandom')));
      return file;
    },
    release: remove,
  };
}

function realShaped(shapeName: RealShapeName, scheme: WeightScheme): BenchModel {
  const name = `${shapeName}-${scheme}`;
  const tensorBytes = realShapedTensors(realShapes[shapeName], scheme).reduce(
    (sum, tensor) => sum + tensorDataBytes(tensor),
    0,
  );
  return {
    name,
    // The header (vocabulary) adds a few MB; 16 MiB covers it.
    plannedBytes: tensorBytes + 16 * 2 ** 20,
    open: async (dir) => writeRealShapedModel(path.join(dir, `${name}.gguf`), shapeName, scheme).path,
    release: remove,
  };
}

export function benchModels(): BenchModel[] {
  const small = { heads: 8, kvHeads: 4, contextLength: 8192, seed: 1234 };
  return [
    fixture('stories260K'),
    fixture('llamaTinyRandom'),
    smallSynthetic('synthetic-56M', { ...small, layers: 8, embedding: 512, feedForward: 1376 }),
    smallSynthetic('synthetic-245M', { ...small, layers: 16, embedding: 1024, feedForward: 2816, heads: 16 }),
    realShaped('llama-3.2-1b', 'Q4_K_M'),
    realShaped('llama-3.2-1b', 'Q8_0'),
    realShaped('llama-3.2-1b', 'F16'),
    realShaped('llama-3.2-3b', 'Q4_K_M'),
    realShaped('qwen3-4b', 'Q4_K_M'),
    realShaped('llama-3.1-8b', 'Q4_K_M'),
  ];
}

/** Left free beside a model file: the machine's other programs (and the other agents on it) need the disk too. */
const diskReserveBytes = 2 * 2 ** 30;

export function freeDiskBytes(dir: string): number {
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}

/** Why a model cannot be written now, or null when it fits on the disk. */
export function diskProblem(model: BenchModel, dir: string): string | null {
  if (model.plannedBytes === 0) return null;
  const free = freeDiskBytes(dir);
  if (model.plannedBytes + diskReserveBytes <= free) return null;
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  return `skipped: its file needs ${gib(model.plannedBytes)} and ${dir} has ${gib(free)} free (2 GiB kept in reserve)`;
}

/** A temp folder for the written models; removed with everything in it when the bench ends, even on Ctrl-C. */
export function benchModelsDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mai-bench-estimate-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  return { dir, cleanup };
}
