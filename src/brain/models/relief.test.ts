import { describe, expect, it } from 'vitest';
import { kvCacheBytes } from '../backends/estimateFormula';
import type { GgufProfile } from '../backends/ModelBackend';
import { sampleWith } from '../resources/testSamples';
import { chooseRelief, footprint, reliefOptions, type ReliefModel, type ReliefStep } from './relief';
import { switchCostSeconds } from './reliefCosts';
import { memoryNeed, undoFits } from './reliefNeed';

const mib = 2 ** 20;
const gib = 2 ** 30;

/** Llama 3.2 1B's shape: 16 layers, 32 heads over 8 KV heads of 64: 32 KiB of f16 KV cache a token. */
const llama1b: GgufProfile = {
  architecture: 'llama',
  parameterCount: 1.24e9,
  layerCount: 16,
  embeddingLength: 2048,
  headCount: 32,
  headCountKv: 8,
  contextLength: 131_072,
  vocabularySize: 128_256,
  quantization: 'Q4_K_M',
};

function model(overrides: Partial<ReliefModel> = {}): ReliefModel {
  return {
    profile: llama1b,
    sizeBytes: 808 * mib,
    settings: { contextLength: 4096, kvCacheType: 'f16', gpuLayers: 0 },
    reconfigurable: true,
    loadMs: 4000,
    conversationTokens: 300,
    ...overrides,
  };
}

const need = (ramMib: number, vramMib = 0) => ({ ramBytes: ramMib * mib, vramBytes: vramMib * mib });

describe('footprint', () => {
  it('takes the estimator’s KV cache at the bytes each type stores: q8_0 34 per 32 values, q4_0 18 per 32', () => {
    const f16 = footprint(model(), model().settings);
    const q8 = footprint(model(), { ...model().settings, kvCacheType: 'q8_0' });
    const q4 = footprint(model(), { ...model().settings, kvCacheType: 'q4_0' });
    const kv = kvCacheBytes(llama1b, 4096);
    expect(kv).toBe(128 * mib);
    expect(f16.ramBytes - q8.ramBytes).toBeCloseTo(kv * (1 - 17 / 32), -1);
    expect(f16.ramBytes - q4.ramBytes).toBeCloseTo(kv * (1 - 9 / 32), -1);
  });

  it('puts the KV cache of offloaded layers in VRAM and quantizes it there', () => {
    const onGpu = { contextLength: 4096, kvCacheType: 'q8_0' as const, gpuLayers: 17 };
    const f16 = footprint(model(), { ...onGpu, kvCacheType: 'f16' });
    const q8 = footprint(model(), onGpu);
    expect(f16.vramBytes - q8.vramBytes).toBeCloseTo(128 * mib * (1 - 17 / 32), -1);
    expect(f16.ramBytes - q8.ramBytes).toBe(0);
  });
});

describe('chooseRelief', () => {
  const pick = (m: ReliefModel, n: ReturnType<typeof need>) => chooseRelief(reliefOptions(m), n, switchCostSeconds(m));

  it.each<[string, ReliefModel, ReturnType<typeof need>, ReliefStep | null, number | null]>([
    // A short conversation fits 1024 tokens: the window shrinks, nothing is lost, nothing slows.
    ['a short conversation under light pressure', model(), need(60), 'smaller_window', 1024],
    // 3000 tokens need 3584: shrinking frees little, halving loses ~1,500 tokens; q8_0 frees 60 MiB for 5 % speed.
    ['a long conversation', model({ conversationTokens: 3000 }), need(50), 'kv_q8_0', 4096],
    ['a long conversation under more pressure', model({ conversationTokens: 3000 }), need(80), 'kv_q4_0', 4096],
    // Already q8_0: q4_0 is the next rung.
    [
      'a q8_0 cache under pressure again',
      model({ conversationTokens: 3000, settings: { contextLength: 4096, kvCacheType: 'q8_0', gpuLayers: 0 } }),
      need(20),
      'kv_q4_0',
      4096,
    ],
    ['pressure no step can answer', model(), need(400), null, null],
    // LM Studio cannot take a new context alone or quantize the cache: only a window, through a reload.
    ['an engine that reloads', model({ reconfigurable: false }), need(60), 'smaller_window', 1024],
    // Halving the window would free enough but lose ~1,500 tokens of the conversation: dearer than a switch.
    [
      'an engine that reloads, a long conversation',
      model({ reconfigurable: false, conversationTokens: 3000 }),
      need(50),
      null,
      null,
    ],
  ])('%s', (_what, m, n, step, contextLength) => {
    const choice = pick(m, n);
    expect(choice.option?.step ?? null).toBe(step);
    if (contextLength !== null) expect(choice.option?.settings.contextLength).toBe(contextLength);
    if (choice.option) expect(choice.option.saving.ramBytes).toBeGreaterThanOrEqual(n.ramBytes);
  });

  it('says what it frees, what was needed and what it beat; or why nothing will do', () => {
    expect(pick(model({ conversationTokens: 3000 }), need(50)).reason).toMatch(
      /^the KV cache in q8_0 instead of f16 frees ~\d+(\.\d)? MiB \(estimate\), 50\.0 MiB of RAM needed, at a cost of \d+ s; cheaper than the KV cache in q4_0 instead of f16 \(\d+ s\)$/,
    );
    expect(pick(model(), need(400)).reason).toMatch(
      /^no cheaper step frees 400\.0 MiB of RAM; the most a step frees is/,
    );
    expect(pick(model({ reconfigurable: false, conversationTokens: 3000 }), need(50)).reason).toMatch(
      /^every step that frees 50\.0 MiB of RAM costs more \(\d+ s\) than a switch \(\d+ s\)$/,
    );
  });

  it('charges a reload, lost tokens and a slowdown', () => {
    const options = reliefOptions(model({ conversationTokens: 3000, loadMs: 9000 }));
    const half = options.find((o) => o.step === 'smaller_window' && o.settings.contextLength === 2048);
    expect(half?.cost.lostTokens).toBe(3000 - (2048 - 512));
    const q8 = options.find((o) => o.step === 'kv_q8_0');
    expect(q8?.cost).toMatchObject({ lostTokens: 0, slowdownFraction: 0.05 });
    // 0.5 s for the context, 15 s to read the 3000 tokens again.
    expect(q8?.cost.reloadMs).toBe(500 + 15_000);
    const reloading = reliefOptions(model({ reconfigurable: false, loadMs: 9000 }))[0];
    expect(reloading?.cost.reloadMs).toBe(9000 + 1500);
  });

  it('offers no quantized cache where 32 does not divide the head width (stories260K: 8)', () => {
    const tiny = model({ profile: { ...llama1b, embeddingLength: 64, headCount: 8, headCountKv: 4 } });
    expect(reliefOptions(tiny).map((o) => o.step)).toEqual(['smaller_window', 'smaller_window']);
    const qwen3Like = model({ hints: { headDimK: 128, headDimV: 128 } });
    expect(reliefOptions(qwen3Like).map((o) => o.step)).toContain('kv_q4_0');
  });

  it('moves layers to the CPU only for VRAM, since it adds their weights to RAM', () => {
    const onGpu = model({
      settings: { contextLength: 4096, kvCacheType: 'f16', gpuLayers: 17 },
      reconfigurable: false,
    });
    const toCpu = reliefOptions(onGpu).find((o) => o.step === 'layers_to_cpu');
    expect(toCpu?.saving.ramBytes).toBeLessThan(0);
    expect(toCpu?.saving.vramBytes).toBeGreaterThan(800 * mib);
    // VRAM short by 500 MiB with 2 GiB of RAM to spare: the layers go to the CPU.
    expect(chooseRelief(reliefOptions(onGpu), need(-2048, 500), 1000).option?.step).toBe('layers_to_cpu');
    // Short of RAM instead: a model wholly on the GPU keeps its cache in VRAM, so no step frees RAM.
    expect(chooseRelief(reliefOptions(onGpu), need(60), 1000).option).toBeNull();
    expect(chooseRelief(reliefOptions(onGpu), need(0, 60), 1000).option?.step).toBe('smaller_window');
  });
});

describe('memoryNeed and undoFits', () => {
  const at = (percent: number) => sampleWith({ memoryUsedPercent: percent, totalBytes: 16 * gib });

  it.each([
    { percent: 81, bytes: 16 * gib * 0.04 },
    { percent: 90, bytes: 16 * gib * 0.13 },
    { percent: 70, bytes: 0 },
  ])('at $percent % against 80 %, frees down to 3 points below the line: $bytes bytes', ({ percent, bytes }) => {
    expect(memoryNeed(at(percent), 80).ramBytes).toBeCloseTo(bytes, -2);
  });

  it.each([
    { percent: 60, addedGib: 1, fits: true },
    { percent: 75, addedGib: 0.5, fits: false },
    { percent: 70, addedGib: 0.5, fits: true },
  ])('at $percent %, giving $addedGib GiB back keeps under 77 %: $fits', ({ percent, addedGib, fits }) => {
    expect(undoFits(at(percent), 80, addedGib * gib)).toBe(fits);
  });
});
