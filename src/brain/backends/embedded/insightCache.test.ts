import { copyFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureModelPath } from '../../../../test/fixtures';
import { readGgufInsight } from '../gguf/readGgufInsight';
import { createCachedInsightReader } from './insightCache';

/** A copy of a fixture model, a cache file beside it, and a reader that counts the headers it really reads. */
function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mai-headers-'));
  const model = path.join(dir, 'stories260K.gguf');
  copyFileSync(fixtureModelPath('stories260K'), model);
  const file = path.join(dir, 'cache', 'gguf-headers.json');
  const reads: string[] = [];
  const reader = (maiVersion = '1.0.0') =>
    createCachedInsightReader({
      file,
      maiVersion,
      read: (filePath) => {
        reads.push(filePath);
        return readGgufInsight(filePath);
      },
    });
  return { model, file, reads, reader };
}

describe('the GGUF header cache', () => {
  it('lets a new process list an unchanged file without reading its header', async () => {
    const { model, reads, reader } = setup();
    const first = await reader()(model);
    expect(first).toMatchObject({ usable: true, profile: { architecture: 'llama' } });
    expect(reads).toHaveLength(1);
    // A reader of a later run, on the same cache file: the same header, and no read.
    const second = await reader()(model);
    expect(second).toEqual(first);
    expect(reads).toHaveLength(1);
    // Only what listing needs is kept, not node-llama-cpp's whole parse.
    expect(second).not.toHaveProperty('fileInfo');
  });

  it('reads a changed file again, and ignores what another version of Mai kept', async () => {
    const { model, reads, reader } = setup();
    await reader()(model);
    utimesSync(model, new Date(), new Date(Date.now() + 60_000));
    await reader()(model);
    expect(reads).toHaveLength(2);
    await reader('2.0.0')(model);
    expect(reads).toHaveLength(3);
  });

  it('reads headers afresh from a cache file that is not one, and replaces it', async () => {
    const { model, file, reads, reader } = setup();
    await reader()(model);
    writeFileSync(file, '{"maiVersion":"1.0.0","entries":{"x":{"sizeBytes":"big"}}');
    expect(await reader()(model)).toMatchObject({ usable: true });
    expect(reads).toHaveLength(2);
    await reader()(model);
    expect(reads).toHaveLength(2);
  });
});
