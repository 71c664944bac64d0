import type { LLMInfo, LLMPredictionStats, LLMPredictionStopReason } from '@lmstudio/sdk';
import type { ModelInfo, ResponseStats, StopReason } from '../ModelBackend';

/** LM Studio's description of a downloaded model, in Mai's terms. Optional SDK fields become explicit nulls. */
export function toModelInfo(info: LLMInfo): ModelInfo {
  return {
    key: info.modelKey,
    displayName: info.displayName,
    backend: 'lmstudio',
    path: info.path,
    sizeBytes: info.sizeBytes,
    paramsString: info.paramsString ?? null,
    architecture: info.architecture ?? null,
    quantization: info.quantization?.name ?? null,
    maxContextLength: info.maxContextLength,
    vision: info.vision,
    trainedForToolUse: info.trainedForToolUse,
    // LM Studio lists only what it can load; a file it cannot is its own problem to report at load time.
    usable: true,
    unusableReason: null,
    // The path is relative to LM Studio's models folder; withGgufProfiles adds the profile where Mai can read it.
    gguf: null,
  };
}

const stopReasons: Partial<Record<LLMPredictionStopReason, StopReason>> = {
  eosFound: 'eos',
  maxPredictedTokensReached: 'maxTokens',
  userStopped: 'cancelled',
  contextLengthReached: 'contextFull',
  failed: 'error',
};

export function toStopReason(reason: LLMPredictionStopReason): StopReason {
  return stopReasons[reason] ?? 'other';
}

const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** `streamedTokens` stands in when LM Studio leaves the count out (only stopReason is required on the wire). */
export function toResponseStats(stats: LLMPredictionStats, streamedTokens: number): ResponseStats {
  const firstTokenSec = finiteOrNull(stats.timeToFirstTokenSec);
  return {
    tokensPerSecond: finiteOrNull(stats.tokensPerSecond),
    timeToFirstTokenMs: firstTokenSec === null ? null : firstTokenSec * 1000,
    predictedTokens: stats.predictedTokensCount ?? streamedTokens,
    promptTokens: stats.promptTokensCount ?? null,
    stopReason: toStopReason(stats.stopReason),
  };
}
