import type { StopReason } from '../ModelBackend';
import type { EmbeddedResponseStats } from './types';

/** Why node-llama-cpp's LlamaChat / LlamaCompletion stopped. */
export type EngineStopReason =
  'eogToken' | 'stopGenerationTrigger' | 'functionCalls' | 'maxTokens' | 'abort' | 'customStopTrigger';

/**
 * Maps the engine's reason to Mai's. The engine says "maxTokens" both when the caller's limit was reached and when
 * Mai capped generation at the end of the context window; which one it was is told by the count. Pure.
 */
export function toStopReason(
  engine: EngineStopReason,
  predictedTokens: number,
  requestedMaxTokens: number | undefined,
): StopReason {
  switch (engine) {
    case 'eogToken':
    case 'stopGenerationTrigger': // the chat template's end-of-turn text: the model's own "done"
      return 'eos';
    case 'abort':
      return 'cancelled';
    case 'maxTokens':
      return requestedMaxTokens !== undefined && predictedTokens >= requestedMaxTokens ? 'maxTokens' : 'contextFull';
    case 'customStopTrigger':
    case 'functionCalls':
      return 'other';
  }
}

export interface GenerationTimes {
  startMs: number;
  firstTokenMs: number | null;
  endMs: number;
}

/**
 * Tokens per second counts the tokens after the first over the time after the first: the decode rate, which is
 * what "this model writes at N tokens/s" means; the first token's wait is prompt processing, reported as TTFT.
 * Pure.
 */
export function computeStats(
  times: GenerationTimes,
  counts: { predictedTokens: number; promptTokens: number | null },
  outcome: { stopReason: StopReason; stopString: string | null; gpuLayers: number },
): EmbeddedResponseStats {
  const { startMs, firstTokenMs, endMs } = times;
  const decodeMs = firstTokenMs === null ? 0 : endMs - firstTokenMs;
  return {
    tokensPerSecond:
      counts.predictedTokens >= 2 && decodeMs > 0 ? (counts.predictedTokens - 1) / (decodeMs / 1000) : null,
    timeToFirstTokenMs: firstTokenMs === null ? null : firstTokenMs - startMs,
    predictedTokens: counts.predictedTokens,
    promptTokens: counts.promptTokens,
    stopReason: outcome.stopReason,
    totalTimeMs: endMs - startMs,
    stopString: outcome.stopString,
    gpuLayers: outcome.gpuLayers,
  };
}
