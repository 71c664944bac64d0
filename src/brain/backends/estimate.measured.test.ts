import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath, type FixtureModelName } from '../../../test/fixtures';
import { EmbeddedBackend } from './embedded/EmbeddedBackend';
import { estimateMemory } from './estimate';

/**
 * Estimates against what a load really costs on this machine: RSS after load + context + a batch-sized prompt +
 * a short generation, minus RSS before. The bound is generous on purpose — max(50 %, 64 MiB) — because these models
 * are tiny and V8's heap moves RSS by tens of MiB; bench/estimate.ts measures in clean processes and publishes the
 * tight figures. What this catches is an estimate that is wildly off (a unit slip, a missing part).
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
  backend = new EmbeddedBackend({ modelsDirs: [dir], gpu: false, threads: 1 });
  await backend.getLlama();
  await backend.listModels();
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('memory estimates against measured RSS', () => {
  it.each(['stories260K', 'llamaTinyRandom'] satisfies FixtureModelName[])('are close for %s', async (key) => {
    const info = (await backend.listModels()).find((model) => model.key === key);
    if (!info) throw new Error(`${key} not listed`);
    const before = residentBytes();
    const loaded = await backend.load(key, { contextLength, gpuOffload: 'off' });
    const story = 'The little cat looked at the big dog and they played in the sun. '.repeat(60);
    const prompt = backend.tokenize(loaded.identifier, story).slice(0, 600);
    await backend.complete(loaded.identifier, prompt, { maxTokens: 16, seed: 1 });
    const measured = residentBytes() - before;
    await backend.unload(loaded.identifier);

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
});
