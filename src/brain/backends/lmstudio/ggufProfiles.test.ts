import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import type { ModelInfo } from '../ModelBackend';
import { lmStudioModelsDirs } from '../embedded/discovery';
import { withGgufProfiles, type ProfileCache } from './ggufProfiles';

const listed = (path: string | null): ModelInfo => ({
  key: 'k',
  displayName: 'k',
  backend: 'lmstudio',
  path,
  sizeBytes: 1,
  paramsString: null,
  architecture: null,
  quantization: null,
  maxContextLength: null,
  vision: false,
  trainedForToolUse: false,
  usable: true,
  unusableReason: null,
  gguf: null,
});

describe('withGgufProfiles', () => {
  it('reads the header of a file in the models folder, once', async () => {
    const cache: ProfileCache = new Map();
    const [model] = await withGgufProfiles([listed('stories260K.gguf')], [sharedModelsDir()], cache);
    expect(model?.gguf).toMatchObject({ architecture: 'llama', layerCount: 5, headCount: 8, headCountKv: 4 });
    expect(cache.size).toBe(1);
    await withGgufProfiles([listed('stories260K.gguf')], [sharedModelsDir()], cache);
    expect(cache.size).toBe(1);
  });

  it('leaves gguf null for files it cannot find, outside the folder, or without a path', async () => {
    const models = [listed('missing/model.gguf'), listed('../DESIGN.md'), listed(null)];
    const profiled = await withGgufProfiles(models, [sharedModelsDir()], new Map());
    expect(profiled.map((model) => model.gguf)).toEqual([null, null, null]);
  });

  it('knows where LM Studio keeps its models', () => {
    expect(lmStudioModelsDirs('/home/ada')).toEqual([
      '/home/ada/.lmstudio/models',
      '/home/ada/.cache/lm-studio/models',
    ]);
  });
});
