/**
 * Cheaper steps than a switch (issue 19): under memory pressure the model in use can take a smaller window, a
 * quantized KV cache, or give its layers back to the CPU. Pure: what each step would save (from the estimator's
 * own formulas), what it would cost (reload time, lost context, speed), and which to take. A switch is what is left
 * when no step frees enough. The scaler's rules say when; ReliefSteps.ts does it.
 */
import { estimateFromProfile, kvCacheBytes, type ShapeHints } from '../backends/estimateFormula';
import type { GgufProfile, KvCacheType } from '../backends/ModelBackend';
import { formatBytes } from '../../shared/format';
import { answerRoomTokens, reliefCosts } from './reliefCosts';

export type ReliefStep = 'smaller_window' | 'kv_q8_0' | 'kv_q4_0' | 'layers_to_cpu';

export interface ModelSettings {
  contextLength: number;
  kvCacheType: KvCacheType;
  /** As llama.cpp counts them: layerCount + 1 puts everything on the GPU, 0 nothing. */
  gpuLayers: number;
}

/** Bytes; a negative saving is memory a step adds (layers moved to the CPU add RAM). */
export interface Bytes {
  ramBytes: number;
  vramBytes: number;
}

export interface ReliefModel {
  profile: GgufProfile;
  /** Head widths and feed-forward size where the file gives them (Qwen3's heads are wider than embedding / heads). */
  hints?: ShapeHints;
  sizeBytes: number;
  settings: ModelSettings;
  /** The engine makes a new context with the weights kept (embedded); others reload, and cannot quantize the cache. */
  reconfigurable: boolean;
  /** What loading this model took last time: the price of a step that reloads it. */
  loadMs: number;
  /** The conversation as it stands, in this model's tokens. */
  conversationTokens: number;
}

export interface StepCost {
  /** No answers meanwhile: a new context (or a reload) and the conversation evaluated again. */
  reloadMs: number;
  /** Conversation tokens the new window cannot hold. */
  lostTokens: number;
  /** Share of generation speed given up. */
  slowdownFraction: number;
  /** All of it in seconds of a person's time (see reliefCosts.ts), the one figure steps are compared by. */
  totalSeconds: number;
}

export interface ReliefOption {
  step: ReliefStep;
  settings: ModelSettings;
  saving: Bytes;
  cost: StepCost;
  /** "a 1024-token window instead of 4096", for a reason. */
  description: string;
}

/** Bytes per stored value: f16 2, q8_0 34 per 32, q4_0 18 per 32 (ggml's block layouts). */
export const kvBytesPerValue: Record<KvCacheType, number> = { f16: 2, q8_0: 34 / 32, q4_0: 18 / 32 };

/**
 * The smallest window a step leaves: 1024 tokens, the degraded window Mai already loads when nothing fits (a few
 * recent turns and an answer); below it a conversation is hardly one.
 */
export const minWindowTokens = 1024;
/**
 * llama.cpp quantizes the cache in blocks of 32 along each head, so a head width that 32 does not divide cannot be
 * quantized (stories260K's 8-wide heads: "K cache type q8_0 with block size 32 does not divide n_embd_head_k=8").
 */
export function kvCacheQuantizable(model: Pick<ReliefModel, 'profile' | 'hints'>): boolean {
  const natural = model.profile.headCount > 0 ? model.profile.embeddingLength / model.profile.headCount : 0;
  const widths = [model.hints?.headDimK ?? natural, model.hints?.headDimV ?? natural];
  return widths.every((width) => width > 0 && width % 32 === 0);
}

/** llama.cpp pads context sizes to 256. */
const windowStepTokens = 256;

/** RAM and VRAM the model takes with these settings: the estimator's figure, its f16 KV cache re-typed. */
export function footprint(model: Pick<ReliefModel, 'profile' | 'sizeBytes' | 'hints'>, settings: ModelSettings): Bytes {
  const estimate = estimateFromProfile(model.profile, model.sizeBytes, settings, model.hints);
  const kv = kvCacheBytes(model.profile, settings.contextLength, model.hints);
  const layers = Math.max(1, model.profile.layerCount);
  const kvGpuShare = Math.min(Math.max(0, settings.gpuLayers), layers) / layers;
  const kept = kvBytesPerValue[settings.kvCacheType] / kvBytesPerValue.f16;
  return {
    ramBytes: Math.round(estimate.ramBytes - kv * (1 - kvGpuShare) * (1 - kept)),
    vramBytes: Math.round(estimate.vramBytes - kv * kvGpuShare * (1 - kept)),
  };
}

function savingBetween(model: ReliefModel, after: ModelSettings): Bytes {
  const [now, next] = [footprint(model, model.settings), footprint(model, after)];
  return { ramBytes: now.ramBytes - next.ramBytes, vramBytes: now.vramBytes - next.vramBytes };
}

function roundUpToWindowStep(tokens: number): number {
  return Math.ceil(tokens / windowStepTokens) * windowStepTokens;
}

function option(model: ReliefModel, step: ReliefStep, change: Partial<ModelSettings>, description: string) {
  const settings = { ...model.settings, ...change };
  const cost = reliefCosts(step, model, settings);
  return { step, settings, saving: savingBetween(model, settings), cost, description };
}

/** Every step open from the model's current settings, each with its saving and cost. */
export function reliefOptions(model: ReliefModel): ReliefOption[] {
  const { contextLength, kvCacheType, gpuLayers } = model.settings;
  const options: ReliefOption[] = [];
  const windowText = (tokens: number) => `a ${tokens}-token window instead of ${contextLength}`;
  // The window the conversation still fits (nothing lost), and half the window (older turns dropped) where smaller.
  const fitting = Math.max(minWindowTokens, roundUpToWindowStep(model.conversationTokens + answerRoomTokens));
  const half = Math.max(minWindowTokens, roundUpToWindowStep(contextLength / 2));
  for (const tokens of new Set([fitting, half])) {
    if (tokens < contextLength)
      options.push(option(model, 'smaller_window', { contextLength: tokens }, windowText(tokens)));
  }
  const quantizable = model.reconfigurable && kvCacheQuantizable(model);
  if (quantizable && kvCacheType === 'f16') {
    options.push(option(model, 'kv_q8_0', { kvCacheType: 'q8_0' }, 'the KV cache in q8_0 instead of f16'));
  }
  if (quantizable && kvCacheType !== 'q4_0') {
    options.push(option(model, 'kv_q4_0', { kvCacheType: 'q4_0' }, `the KV cache in q4_0 instead of ${kvCacheType}`));
  }
  if (gpuLayers > 0) options.push(option(model, 'layers_to_cpu', { gpuLayers: 0 }, 'every layer on the CPU'));
  return options;
}

export interface ReliefChoice {
  option: ReliefOption | null;
  /** Why this step, or why none (a switch then), with the figures for a person. */
  reason: string;
}

function relieves(option: ReliefOption, need: Bytes): boolean {
  return option.saving.ramBytes >= need.ramBytes && option.saving.vramBytes >= need.vramBytes;
}

function needText(need: Bytes): string {
  const parts = [need.ramBytes > 0 ? `${formatBytes(need.ramBytes)} of RAM` : null];
  parts.push(need.vramBytes > 0 ? `${formatBytes(need.vramBytes)} of VRAM` : null);
  return parts.filter((part) => part !== null).join(' and ') || 'nothing';
}

/**
 * The cheapest option that frees at least `need` (a negative need is room that may be taken: RAM a move off the GPU
 * may add), and costs less than a switch; or none: then a switch it is.
 */
export function chooseRelief(options: readonly ReliefOption[], need: Bytes, switchSeconds: number): ReliefChoice {
  const freeing = options.filter((o) => relieves(o, need));
  const enough = freeing.filter((o) => o.cost.totalSeconds < switchSeconds);
  enough.sort((a, b) => a.cost.totalSeconds - b.cost.totalSeconds);
  const [best, next] = enough;
  if (!best) {
    if (freeing.length > 0) {
      const cheapest = Math.min(...freeing.map((o) => o.cost.totalSeconds));
      const text = `every step that frees ${needText(need)} costs more (${cheapest.toFixed(0)} s) than a switch (${switchSeconds.toFixed(0)} s)`;
      return { option: null, reason: text };
    }
    const most = [...options].sort((a, b) => b.saving.ramBytes - a.saving.ramBytes)[0];
    const largest = most ? `; the most a step frees is ${formatBytes(most.saving.ramBytes)} (${most.description})` : '';
    return { option: null, reason: `no cheaper step frees ${needText(need)}${largest}` };
  }
  const versus = next ? `; cheaper than ${next.description} (${next.cost.totalSeconds.toFixed(0)} s)` : '';
  const reason =
    `${best.description} frees ~${formatBytes(best.saving.ramBytes)} (estimate), ${needText(need)} needed, ` +
    `at a cost of ${best.cost.totalSeconds.toFixed(0)} s${versus}`;
  return { option: best, reason };
}
