/**
 * What a relief step costs, in one unit: seconds of a person's time. Reload time is waited through; lost context is
 * retyped; a slower model is waited for on every answer while the pressure lasts; a coarser cache answers a little
 * worse. The figures are rough, but their order is what matters: a step that loses nothing beats one that slows
 * every answer, which beats one that loses what the person said.
 */
import type { ModelSettings, ReliefModel, ReliefStep, StepCost } from './relief';

/**
 * A new context on the same weights: ~0.5 s. Measured here (node-llama-cpp 3.22.1, CPU, a busy 2-core machine):
 * 0.1-0.9 s for a 64-256 MiB cache (reconfigure.test.ts prints it), most of it writing the new cache's pages.
 */
export const newContextMs = 500;

/**
 * Prompt tokens a second when the conversation is evaluated again after any change of context (its KV state goes
 * with the old context): 200, the low end of CPU prefill for 1-4B models at Q4 on 4-8 cores (GPU prefill is 10x
 * faster, so this over-charges there, equally for every step).
 */
export const refillTokensPerSecond = 200;

/**
 * Each conversation token a smaller window cannot hold: 1 s, a person's retyping speed (40 words a minute is ~0.9
 * tokens a second). What the person said is the most expensive thing a step can give up.
 */
export const secondsPerLostToken = 1;

/**
 * How long a slowdown is paid for: 120 s of answering, the scaler's two calm minutes before anything is given back
 * (its upSustainedMs); pressure that forced a step lasts at least that long.
 */
export const slowdownPaidForSeconds = 120;

/**
 * Generation speed given up: a quantized cache is dequantized in every attention step (llama.cpp's flash attention
 * on CPU reads q8_0 a few per cent slower than f16, q4_0 more); layers moved to the CPU cost the most: Ollama measured
 * gemma3:12b at 85.5 tokens/s fully on the GPU and 52.0 with one layer off it (-39 %).
 */
export const slowdownFraction: Record<ReliefStep, number> = {
  smaller_window: 0,
  kv_q8_0: 0.05,
  kv_q4_0: 0.1,
  layers_to_cpu: 0.4,
};

/**
 * Answer quality given up, as seconds: a q8_0 cache keeps perplexity within ~0.1 % of f16 in llama.cpp's
 * measurements (nothing a person notices); q4_0 adds ~1-2 %, noticeable on long contexts, so 30 s: dearer than a
 * lossless step, cheaper than dropping 30 tokens of what the person said or a switch to a smaller model.
 */
export const qualitySeconds: Record<ReliefStep, number> = {
  smaller_window: 0,
  kv_q8_0: 0,
  kv_q4_0: 30,
  layers_to_cpu: 0,
};

/** Room kept for the answer beyond the conversation: fitContext's answer reserve (ConversationFitter). */
export const answerRoomTokens = 512;

export function reliefCosts(step: ReliefStep, model: ReliefModel, after: ModelSettings): StepCost {
  // Moving layers needs the weights reloaded; so does any change on an engine that cannot make a new context alone.
  const reloads = step === 'layers_to_cpu' || !model.reconfigurable;
  const keptTokens = Math.min(model.conversationTokens, after.contextLength);
  const reloadMs = (reloads ? model.loadMs : newContextMs) + (keptTokens / refillTokensPerSecond) * 1000;
  const lostTokens = Math.max(0, model.conversationTokens - Math.max(0, after.contextLength - answerRoomTokens));
  const slowdown = slowdownFraction[step];
  const totalSeconds =
    reloadMs / 1000 + lostTokens * secondsPerLostToken + slowdown * slowdownPaidForSeconds + qualitySeconds[step];
  return { reloadMs, lostTokens, slowdownFraction: slowdown, totalSeconds };
}

/**
 * What a switch to a smaller model costs, to weigh steps against: loading it (the current model's load time, an upper
 * bound for a smaller one), reading the conversation again, and a smaller model's weaker answers while the pressure
 * lasts, valued as half the speed over the 120 s paid for: 60 s. A step dearer than that is no cheaper step.
 */
export function switchCostSeconds(model: Pick<ReliefModel, 'loadMs' | 'conversationTokens'>): number {
  const refillSeconds = model.conversationTokens / refillTokensPerSecond;
  return model.loadMs / 1000 + refillSeconds + 0.5 * slowdownPaidForSeconds;
}
