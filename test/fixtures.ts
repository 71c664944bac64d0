import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './runCli';

/** The two real GGUF models in ../shared/models (see its README), with their published checksums. */
export const fixtureModels = {
  stories260K: {
    file: 'stories260K.gguf',
    bytes: 1_185_376,
    sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d',
  },
  llamaTinyRandom: {
    file: 'llama-2-tiny-random.gguf',
    bytes: 1_750_560,
    sha256: '81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb',
  },
} as const;

export type FixtureModelName = keyof typeof fixtureModels;

/** ../shared/models beside the checkout (or MAI_TEST_MODELS_DIR); fails loudly when absent. */
export function sharedModelsDir(): string {
  const dir = process.env.MAI_TEST_MODELS_DIR ?? path.resolve(repoRoot, '..', 'shared', 'models');
  if (!existsSync(dir)) {
    throw new Error(`test models not found at ${dir}: clone Mai beside shared/ or set MAI_TEST_MODELS_DIR`);
  }
  return dir;
}

const verified = new Map<string, string>();

/** The path of a fixture model after checking its size and sha256, so a bad copy fails loudly, not strangely. */
export function fixtureModelPath(name: FixtureModelName): string {
  const model = fixtureModels[name];
  const file = path.join(sharedModelsDir(), model.file);
  const cached = verified.get(file);
  if (cached) return cached;
  if (!existsSync(file)) throw new Error(`fixture model missing: ${file}`);
  const content = readFileSync(file);
  if (content.length !== model.bytes) {
    throw new Error(`fixture model ${file} is ${content.length} bytes, expected ${model.bytes}`);
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  if (sha256 !== model.sha256) throw new Error(`fixture model ${file} has sha256 ${sha256}, expected ${model.sha256}`);
  verified.set(file, file);
  return file;
}
