import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureModels } from '../test/fixtures';

/**
 * Where a fresh machine (a public CI runner) can get the two test models of ../shared/models, by the provenance
 * their README gives. Each is checked against the size and sha256 the tests pin, so a changed upstream file fails
 * here, loudly, instead of as strange test results.
 */
export const testModelSources: Record<keyof typeof fixtureModels, string[]> = {
  stories260K: [
    'https://huggingface.co/ggml-org/models-moved/resolve/main/tinyllamas/stories260K.gguf',
    'https://raw.githubusercontent.com/mutablelogic/go-llama/main/testdata/stories260K.gguf',
  ],
  llamaTinyRandom: [
    'https://raw.githubusercontent.com/ollama/ollama/87a88cc8f923eb0d8b65c45a4b31cd87b34ee5b1/api/data/llama-2-tiny-random.gguf',
  ],
};

export type Fetch = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Why `content` is not the model the tests expect, or null when it is. */
export function modelMismatch(content: Buffer, expected: { bytes: number; sha256: string }): string | null {
  if (content.length !== expected.bytes) return `${content.length} bytes, expected ${expected.bytes}`;
  const sha256 = createHash('sha256').update(content).digest('hex');
  return sha256 === expected.sha256 ? null : `sha256 ${sha256}, expected ${expected.sha256}`;
}

/**
 * Puts every test model into `dir`, keeping one already there when it checks out. Tries each source in turn;
 * returns the problems, one line each, empty when all models are in place.
 */
export async function provideTestModels(dir: string, fetch: Fetch): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const problems: string[] = [];
  for (const [name, model] of Object.entries(fixtureModels) as [
    keyof typeof fixtureModels,
    (typeof fixtureModels)[keyof typeof fixtureModels],
  ][]) {
    const target = path.join(dir, model.file);
    if (existsSync(target) && modelMismatch(readFileSync(target), model) === null) continue;
    const tried: string[] = [];
    for (const url of testModelSources[name]) {
      try {
        const response = await fetch(url);
        if (!response.ok) {
          tried.push(`${url}: HTTP ${response.status}`);
          continue;
        }
        const content = Buffer.from(await response.arrayBuffer());
        const mismatch = modelMismatch(content, model);
        if (mismatch) {
          tried.push(`${url}: ${mismatch}`);
          continue;
        }
        // Whole file or nothing: a reader never sees half a model.
        writeFileSync(`${target}.partial`, content);
        renameSync(`${target}.partial`, target);
        tried.length = 0;
        break;
      } catch (error) {
        tried.push(`${url}: ${String(error)}`);
      }
    }
    if (tried.length > 0) problems.push(`${model.file}: ${tried.join('; ')}`);
  }
  return problems;
}
