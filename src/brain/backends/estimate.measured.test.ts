import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath, type FixtureModelName } from '../../../test/fixtures';
import { writeKvHeavyModel } from '../../../test/gguf/kvHeavyModel';
import { EmbeddedBackend } from './embedded/EmbeddedBackend';
import { estimateMemory } from './estimate';

/**
 * Estimates against what a load really costs on this machine: RSS after load + context + a batch-sized prompt +
 * a short generation, minus RSS before. bench/estimate.ts measures 1-8B models in clean processes and publishes
 * the tight figures; here the fixtures are tiny (12-25 MiB), and V8's heap moves RSS by tens of MiB, so their bound
 * is generous (max(50 %, 64 MiB)) and only catches a unit slip. The KV-heavy model takes ~300 MiB, far above that
 * noise: its bound, max(20 %, 32 MiB), is below what it takes, so an estimate of 0 (or one missing the cache) fails.
 */
const mib = 2 ** 20;
const contextLength = 2048;

function residentBytes(): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kib ? Number(kib) * 1024 : process.memoryUsage().rss;
}

let dir: string;
let backend: EmbeddedBackend;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mai-estimate-'));
  copyFileSync(fixtureModelPath('stories260K'), path.join(dir, 'stories260K.gguf'));
  copyFileSync(fixtureModelPath('llamaTinyRandom'), path.join(dir, 'llamaTinyRandom.gguf'));
  // 16 layers: 256 MiB of f16 cache at 4,096 tokens beside ~60 MB of weights.
  writeKvHeavyModel(dir, { layers: 16 });
  backend = new EmbeddedBackend({ modelsDirs: [dir], gpu: false, threads: 1 });
  await backend.getLlama();
  await backend.listModels();
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What loading `key` at `contextLength`, prompting and answering adds to this process's RSS, with its listing. */
async function measuredLoad(key: string, contextLength: number) {
  const info = (await backend.listModels()).find((model) => model.key === key);
  if (!info) throw new Error(`${key} not listed`);
  const before = residentBytes();
  const loaded = await backend.load(key, { contextLength, gpuOffload: 'off' });
  const story = 'The little cat looked at the big dog and they played in the sun. '.repeat(60);
  const prompt = backend.tokenize(loaded.identifier, story).slice(0, 600);
  await backend.complete(loaded.identifier, prompt, { maxTokens: 16, seed: 1 });
  const measured = residentBytes() - before;
  await backend.unload(loaded.identifier);
  return { info, measured };
}

describe.runIf(process.platform === 'linux')('memory estimates against measured RSS', () => {
  it.each(['stories260K', 'llamaTinyRandom'] satisfies FixtureModelName[])('are close for %s', async (key) => {
    const { info, measured } = await measuredLoad(key, contextLength);
    const request = { contextLength, gpuLayers: 0 };
    const bound = Math.max(0.5 * Math.abs(measured), 64 * mib);
    for (const deps of [{ llama: await backend.getLlama() }, {}]) {
      const estimate = await estimateMemory(info, request, deps);
      expect(estimate.vramBytes).toBe(0);
      expect(
        Math.abs(estimate.ramBytes - measured),
        `${estimate.method}: ${estimate.ramBytes} vs ${measured}`,
      ).toBeLessThan(bound);
    }
  });

  it('hold a model that takes hundreds of MiB within max(20 %, 32 MiB) of its measured RSS', async () => {
    const kvContext = 4096;
    const { info, measured } = await measuredLoad('kv-heavy', kvContext);
    expect(measured).toBeGreaterThan(200 * mib);
    const bound = Math.max(0.2 * measured, 32 * mib);
    expect(bound).toBeLessThan(measured);
    const estimate = await estimateMemory(
      info,
      { contextLength: kvContext, gpuLayers: 0 },
      { llama: await backend.getLlama() },
    );
    expect(Math.abs(estimate.ramBytes - measured), `${estimate.ramBytes} vs ${measured}`).toBeLessThan(bound);
  });
});
