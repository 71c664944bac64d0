import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath } from '../../../../test/fixtures';
import { writeCorruptGguf, writeTruncatedCopy } from '../../../../test/gguf/badGgufFiles';
import { defaultModelsDirs, discoverModels, findGgufFiles, parseModelsDirList } from './discovery';

describe('models folders from the environment', () => {
  it.each([
    ['/a:/b', 'linux', ['/a', '/b']],
    ['/a::/b:', 'darwin', ['/a', '/b']],
    ['C:\\models;D:\\more', 'win32', ['C:\\models', 'D:\\more']],
    ['C:\\models', 'win32', ['C:\\models']],
    ['', 'linux', []],
    [undefined, 'linux', []],
  ] as const)('splits %j on %s', (value, platform, dirs) => {
    expect(parseModelsDirList(value, platform)).toEqual(dirs);
  });

  it("puts LM Studio's folders first, then MAI_MODELS_DIR", () => {
    expect(defaultModelsDirs({ MAI_MODELS_DIR: '/extra' }, 'linux', '/home/ada')).toEqual([
      '/home/ada/.lmstudio/models',
      '/home/ada/.cache/lm-studio/models',
      '/extra',
    ]);
  });
});

describe('discovery on a folder tree', () => {
  let lmStudio: string;
  let flat: string;
  let base: string;

  beforeAll(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'mai-discovery-'));
    lmStudio = path.join(base, 'lmstudio');
    flat = path.join(base, 'flat');
    const put = (dir: string, name: string, source = fixtureModelPath('stories260K')) => {
      mkdirSync(dir, { recursive: true });
      copyFileSync(source, path.join(dir, name));
    };
    const repo = path.join(lmStudio, 'karpathy', 'tinyllamas-GGUF');
    put(repo, 'stories260K-F32.gguf');
    put(repo, 'mmproj-tinyllamas-f16.gguf', fixtureModelPath('llamaTinyRandom'));
    put(path.join(lmStudio, 'ollama', 'tiny'), 'llama-2-tiny-random.gguf', fixtureModelPath('llamaTinyRandom'));
    put(path.join(lmStudio, 'big'), 'big-00001-of-00002.gguf');
    put(path.join(lmStudio, 'big'), 'big-00002-of-00002.gguf');
    put(path.join(lmStudio, '.trash'), 'hidden.gguf');
    put(path.join(lmStudio, 'a', 'b', 'c', 'd', 'e'), 'too-deep.gguf');
    mkdirSync(path.join(lmStudio, 'broken'));
    writeCorruptGguf(path.join(lmStudio, 'broken', 'corrupt.gguf'));
    writeTruncatedCopy(fixtureModelPath('stories260K'), path.join(lmStudio, 'broken', 'half.gguf'));
    writeFileSync(path.join(lmStudio, 'README.txt'), 'not a model');
    symlinkSync(lmStudio, path.join(lmStudio, 'loop'));
    put(flat, 'stories260K.gguf');
    put(path.join(flat, 'karpathy', 'tinyllamas-GGUF'), 'stories260K-F32.gguf');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('finds GGUF files with LM Studio style keys, skipping hidden, too deep and later split parts', async () => {
    const found = await findGgufFiles([lmStudio]);
    expect(found.map((file) => file.key).sort()).toEqual([
      'big/big-00001-of-00002',
      'broken/corrupt',
      'broken/half',
      'karpathy/tinyllamas-GGUF/mmproj-tinyllamas-f16',
      'karpathy/tinyllamas-GGUF/stories260K-F32',
      'ollama/tiny/llama-2-tiny-random',
    ]);
    expect(found.find((file) => file.key.includes('mmproj'))?.isProjector).toBe(true);
  });

  it('lists models with profiles, the projector as vision on its neighbour, bad files as unusable', async () => {
    const models = await discoverModels([lmStudio, flat]);
    const byKey = new Map(models.map((model) => [model.info.key, model.info]));
    expect([...byKey.keys()].sort()).toEqual([
      'big/big-00001-of-00002',
      'broken/corrupt',
      'broken/half',
      'karpathy/tinyllamas-GGUF/stories260K-F32',
      'ollama/tiny/llama-2-tiny-random',
      'stories260K',
    ]);
    expect(byKey.get('karpathy/tinyllamas-GGUF/stories260K-F32')).toMatchObject({
      backend: 'embedded',
      displayName: 'stories260K-F32',
      path: path.join(lmStudio, 'karpathy', 'tinyllamas-GGUF', 'stories260K-F32.gguf'),
      sizeBytes: 1_185_376,
      paramsString: '293K',
      architecture: 'llama',
      quantization: 'F32',
      maxContextLength: 2048,
      vision: true,
      usable: true,
      gguf: { layerCount: 5, headCountKv: 4 },
    });
    expect(byKey.get('ollama/tiny/llama-2-tiny-random')).toMatchObject({ displayName: 'LLaMA v2', vision: false });
    expect(byKey.get('stories260K')).toMatchObject({ path: path.join(flat, 'stories260K.gguf'), usable: true });
    expect(byKey.get('broken/corrupt')).toMatchObject({ usable: false, gguf: null, architecture: null });
    expect(byKey.get('broken/half')?.unusableReason).toMatch(/^the file is truncated/);
  });

  it('walks only as deep as asked and tolerates missing folders', async () => {
    const shallow = await findGgufFiles([lmStudio, path.join(base, 'missing')], 1);
    expect(shallow.map((file) => file.key).sort()).toEqual(['big/big-00001-of-00002', 'broken/corrupt', 'broken/half']);
  });
});
