import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureModelPath, fixtureModels, sharedModelsDir } from './fixtures';

const original = process.env.MAI_TEST_MODELS_DIR;
afterEach(() => {
  if (original === undefined) delete process.env.MAI_TEST_MODELS_DIR;
  else process.env.MAI_TEST_MODELS_DIR = original;
});

describe('test fixtures', () => {
  it('finds ../shared/models and verifies both models', () => {
    expect(fixtureModelPath('stories260K')).toBe(path.join(sharedModelsDir(), 'stories260K.gguf'));
    expect(fixtureModelPath('llamaTinyRandom')).toBe(path.join(sharedModelsDir(), 'llama-2-tiny-random.gguf'));
  });

  it('fails loudly on a corrupted copy', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mai-fixtures-'));
    copyFileSync(path.join(sharedModelsDir(), fixtureModels.stories260K.file), path.join(dir, 'stories260K.gguf'));
    const corrupt = Buffer.alloc(fixtureModels.llamaTinyRandom.bytes, 7);
    writeFileSync(path.join(dir, fixtureModels.llamaTinyRandom.file), corrupt);
    process.env.MAI_TEST_MODELS_DIR = dir;
    expect(fixtureModelPath('stories260K')).toBe(path.join(dir, 'stories260K.gguf'));
    expect(() => fixtureModelPath('llamaTinyRandom')).toThrow(/has sha256 [0-9a-f]{64}, expected 81f226c6/);
  });

  it('names the folder it looked in when the models are missing', () => {
    process.env.MAI_TEST_MODELS_DIR = '/nonexistent/models';
    expect(() => sharedModelsDir()).toThrow('/nonexistent/models');
  });
});
