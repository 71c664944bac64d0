import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureModelPath } from '../test/fixtures';
import { provideTestModels, testModelSources, type Fetch } from './testModels';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mai-test-models-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Serves the real models from ../shared/models at their first source; any other URL answers `fallback`. */
function fakeFetch(fallback: 'real' | 'wrong' | 404): { fetch: Fetch; requested: string[] } {
  const real: Record<string, string> = {
    [testModelSources.stories260K[0]!]: fixtureModelPath('stories260K'),
    [testModelSources.llamaTinyRandom[0]!]: fixtureModelPath('llamaTinyRandom'),
  };
  const requested: string[] = [];
  const answer = (body: Buffer | null, status = 200) => ({
    ok: body !== null,
    status: body === null ? status : 200,
    arrayBuffer: async () => new Uint8Array(body ?? Buffer.alloc(0)).buffer,
  });
  const fetch: Fetch = async (url) => {
    requested.push(url);
    const file = real[url];
    if (fallback === 'real' && file) return answer(readFileSync(file));
    if (fallback === 'wrong') return answer(Buffer.from('not a model'));
    return answer(null, 404);
  };
  return { fetch, requested };
}

describe('provideTestModels', () => {
  it('fetches both models, checked, and keeps them on a second run without fetching again', async () => {
    const first = fakeFetch('real');
    expect(await provideTestModels(dir, first.fetch)).toEqual([]);
    expect(first.requested).toHaveLength(2);
    const second = fakeFetch('real');
    expect(await provideTestModels(dir, second.fetch)).toEqual([]);
    expect(second.requested).toEqual([]);
  });

  it('refuses a file that is not the pinned model, naming every source it tried', async () => {
    const problems = await provideTestModels(dir, fakeFetch('wrong').fetch);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^stories260K\.gguf: .*11 bytes, expected 1185376; .*11 bytes, expected 1185376$/);
  });

  it('reports HTTP failures', async () => {
    const problems = await provideTestModels(dir, fakeFetch(404).fetch);
    expect(problems[1]).toMatch(/^llama-2-tiny-random\.gguf: https:\/\/.+: HTTP 404$/);
  });
});
