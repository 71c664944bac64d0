import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureModelPath } from '../../../../test/fixtures';
import { findIntegrityProblem } from './checkGgufIntegrity';
import { readGgufInsight } from './readGgufInsight';
import { writeCorruptGguf, writeTruncatedCopy } from '../../../../test/gguf/badGgufFiles';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mai-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);

describe('readGgufInsight on the fixtures', () => {
  it('profiles stories260K from its header', async () => {
    const insight = await readGgufInsight(fixtureModelPath('stories260K'));
    expect(insight.usable).toBe(true);
    if (!insight.usable) return;
    expect(insight.profile).toEqual({
      architecture: 'llama',
      parameterCount: 292_800,
      layerCount: 5,
      embeddingLength: 64,
      headCount: 8,
      headCountKv: 4,
      contextLength: 2048,
      vocabularySize: 512,
      quantization: 'F32',
    });
    expect(insight.fileSizeBytes).toBe(1_185_376);
    expect(insight.details).toMatchObject({ headDimK: 8, headDimV: 8, chatTemplate: null, isVisionProjector: false });
    // What the estimate needs beyond the profile; the token list itself is counted, then let go.
    expect(insight.details).toMatchObject({
      feedForwardLength: 172,
      tensorDataBytes: 1_171_200,
      tokenEmbeddingBytes: 131_072,
      tiedEmbeddings: false,
      mergeCount: 0,
    });
    expect(insight.fileInfo.metadata.tokenizer?.ggml?.tokens).toBeUndefined();
  });

  it('profiles llama-2-tiny-random, counting the vocabulary without keeping the token list', async () => {
    const insight = await readGgufInsight(fixtureModelPath('llamaTinyRandom'));
    expect(insight.usable).toBe(true);
    if (!insight.usable) return;
    expect(insight.profile).toMatchObject({ layerCount: 1, embeddingLength: 8, headCountKv: 2, contextLength: 4096 });
    expect(insight.profile).toMatchObject({ vocabularySize: 32_000, quantization: 'F16' });
    expect(insight.details.name).toBe('LLaMA v2');
    expect(insight.fileInfo.metadata.tokenizer?.ggml?.tokens).toBeUndefined();
  });
});

describe('readGgufInsight on bad files', () => {
  it.each([1, 2, 3, 4, 5])('reports random bytes behind a GGUF magic as corrupt (seed %i)', async (seed) => {
    writeCorruptGguf(file(`corrupt-${seed}.gguf`), seed);
    const insight = await readGgufInsight(file(`corrupt-${seed}.gguf`));
    expect(insight).toMatchObject({ usable: false, fileSizeBytes: 4104 });
    if (insight.usable) return;
    expect(insight.reason).toMatch(/corrupt|truncated|cut short|damaged|no tensors|architecture/);
  });

  it.each(['stories260K', 'llamaTinyRandom'] as const)('reports the first half of %s as truncated', async (name) => {
    writeTruncatedCopy(fixtureModelPath(name), file(`half-${name}.gguf`));
    const insight = await readGgufInsight(file(`half-${name}.gguf`));
    expect(insight.usable).toBe(false);
    if (insight.usable) return;
    // The header survives in both halves; the tensor data does not.
    expect(insight.reason).toMatch(/^the file is truncated: its tensors need 1\.\d MiB but it holds 0\.\d MiB/);
  });

  it('reports a file cut inside its header', async () => {
    writeTruncatedCopy(fixtureModelPath('llamaTinyRandom'), file('head.gguf'), 0.05);
    const insight = await readGgufInsight(file('head.gguf'));
    expect(insight).toMatchObject({ usable: false, reason: expect.stringMatching(/ends inside its header/) });
  });

  it('names other problems for a person', async () => {
    writeFileSync(file('empty.gguf'), '');
    writeFileSync(file('text.gguf'), 'hello, not a model');
    expect(await readGgufInsight(file('empty.gguf'))).toMatchObject({ reason: 'the file is empty' });
    expect(await readGgufInsight(file('text.gguf'))).toMatchObject({ reason: expect.stringMatching(/not a GGUF/) });
    expect(await readGgufInsight(file('missing.gguf'))).toMatchObject({ reason: 'the file does not exist' });
    expect(await readGgufInsight(dir)).toMatchObject({ reason: 'it is not a regular file' });
  });
});

describe('findIntegrityProblem', () => {
  it('accepts a whole file and finds a missing byte at the end of the tensor data', async () => {
    const info = await readGgufFileInfo(fixtureModelPath('stories260K'), { logWarnings: false });
    expect(findIntegrityProblem(info, [1_185_376])).toBeNull();
    expect(findIntegrityProblem(info, [1_185_375])).toMatch(/truncated/);
    expect(findIntegrityProblem(info, [])).toMatch(/ends inside its header/);
  });
});
