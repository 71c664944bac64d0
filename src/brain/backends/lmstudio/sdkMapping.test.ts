import type { LLMInfo } from '@lmstudio/sdk';
import { describe, expect, it } from 'vitest';
import { toModelInfo, toResponseStats, toStopReason } from './sdkMapping';

describe('toStopReason', () => {
  it.each([
    ['eosFound', 'eos'],
    ['maxPredictedTokensReached', 'maxTokens'],
    ['userStopped', 'cancelled'],
    ['contextLengthReached', 'contextFull'],
    ['failed', 'error'],
    ['stopStringFound', 'other'],
    ['toolCalls', 'other'],
    ['modelUnloaded', 'other'],
  ] as const)('%s → %s', (sdk, mai) => expect(toStopReason(sdk)).toBe(mai));
});

describe('toResponseStats', () => {
  it('converts seconds to ms and keeps LM Studio counts', () => {
    expect(
      toResponseStats(
        {
          stopReason: 'eosFound',
          tokensPerSecond: 50,
          timeToFirstTokenSec: 0.25,
          predictedTokensCount: 9,
          promptTokensCount: 3,
        },
        7,
      ),
    ).toEqual({ tokensPerSecond: 50, timeToFirstTokenMs: 250, predictedTokens: 9, promptTokens: 3, stopReason: 'eos' });
  });

  it('falls back to the streamed count and nulls when LM Studio sends only the stop reason', () => {
    expect(toResponseStats({ stopReason: 'userStopped', tokensPerSecond: Number.NaN }, 4)).toEqual({
      tokensPerSecond: null,
      timeToFirstTokenMs: null,
      predictedTokens: 4,
      promptTokens: null,
      stopReason: 'cancelled',
    });
  });
});

describe('toModelInfo', () => {
  it('maps LM Studio fields and turns missing optional ones into null', () => {
    const info: LLMInfo = {
      type: 'llm',
      modelKey: 'qwen2.5-0.5b-instruct',
      format: 'gguf',
      displayName: 'Qwen2.5 0.5B Instruct',
      path: 'Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      sizeBytes: 491_400_032,
      vision: false,
      trainedForToolUse: true,
      maxContextLength: 32_768,
      quantization: { name: 'Q4_K_M', bits: 4 },
    };
    expect(toModelInfo(info)).toEqual({
      key: 'qwen2.5-0.5b-instruct',
      displayName: 'Qwen2.5 0.5B Instruct',
      backend: 'lmstudio',
      path: info.path,
      sizeBytes: 491_400_032,
      paramsString: null,
      architecture: null,
      quantization: 'Q4_K_M',
      maxContextLength: 32_768,
      vision: false,
      trainedForToolUse: true,
      usable: true,
      unusableReason: null,
      gguf: null,
    });
  });
});
