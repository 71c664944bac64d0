import { z } from 'zod';
import { channel, type Endpoint } from './endpoints';
import type { EngineChatRole, EngineGenerateRequest, EngineStopReason } from './engine';
import { instanceInfo, type InstanceRegistry } from './instances';
import { checkedNumber, collapseStack, numberValue, stringArray, toKvConfig, type KvValues } from './kvConfig';
import { ReasoningSplitter } from './reasoningSplitter';
import { streamScriptedAnswer } from './scriptedAnswer';
import { streamThinking } from './scriptedThinking';
import {
  cancelPacketSchema,
  chatHistorySchema,
  kvConfigStackSchema,
  modelSpecifierSchema,
  type ChatHistory,
  type KvConfigStack,
} from './wireSchemas';
import { noModelMatchingQuery, specificModelUnloaded } from './wireErrors';

const predictParameter = z.object({
  modelSpecifier: modelSpecifierSchema,
  history: chatHistorySchema,
  predictionConfigStack: kvConfigStackSchema,
  fuzzyPresetIdentifier: z.string().optional(),
  ignoreServerSessionConfig: z.boolean().optional(),
});

const stopReasons: Record<EngineStopReason, string> = {
  eos: 'eosFound',
  maxTokens: 'maxPredictedTokensReached',
  stopString: 'stopStringFound',
  contextFull: 'contextLengthReached',
  cancelled: 'userStopped',
};

// LM Studio's defaults beneath the client's layers (§5.9): temperature 0.8, no token limit.
const predictionDefaults = { fields: [{ key: 'llm.prediction.temperature', value: 0.8 }] };

/** Text of each turn; tool results are left out (the test models cannot call tools). */
function chatTurns(history: ChatHistory): { role: EngineChatRole; content: string }[] {
  return history.messages.flatMap((message) =>
    message.role === 'tool'
      ? []
      : [
          {
            role: message.role,
            content: message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
          },
        ],
  );
}

/** `complete()` adds a `completeModeFormatting` layer: the prompt then goes to the model verbatim (§4.4). */
export function engineInput(history: ChatHistory, stack: KvConfigStack): EngineGenerateRequest['input'] {
  const turns = chatTurns(history);
  if (stack.layers.some((layer) => layer.layerName === 'completeModeFormatting')) {
    return { kind: 'raw', prompt: turns.map((turn) => turn.content).join('') };
  }
  return { kind: 'chat', messages: turns };
}

/** Wire stats: only finite numbers, integers where the schema says int (a NaN would hang the client, §7.1). */
function wireStats(stopReason: string, figures: Record<string, number | null>): Record<string, unknown> {
  const stats: Record<string, unknown> = { stopReason };
  for (const [key, value] of Object.entries(figures)) if (value !== null && Number.isFinite(value)) stats[key] = value;
  return stats;
}

/** Resolves when the socket goes: how long a frozen LM Studio keeps a stalled prediction open. */
const untilClosed = (socketClosed: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (socketClosed.aborted) resolve();
    socketClosed.addEventListener('abort', () => resolve(), { once: true });
  });

/** `predict` (§4.4): promptProcessingProgress* → fragment* → exactly one success → channelClose. */
export function predictEndpoint(instances: InstanceRegistry): Endpoint {
  return channel(predictParameter, async (parameter, open, context) => {
    const instance = instances.resolve(parameter.modelSpecifier, false);
    if (!instance) {
      throw parameter.modelSpecifier.type === 'instanceReference'
        ? specificModelUnloaded()
        : noModelMatchingQuery(parameter.modelSpecifier.query, instances.identifiers());
    }
    instances.touch(instance);
    const config: KvValues = collapseStack(parameter.predictionConfigStack, predictionDefaults);
    const cancel = new AbortController();
    open.onMessage((message) => cancelPacketSchema.safeParse(message).success && cancel.abort());
    const splitter = new ReasoningSplitter(
      (config.get('llm.prediction.reasoning.parsing') as { enabled?: boolean } | undefined)?.enabled !== false,
    );
    const { faults } = context;
    faults.onPredict?.(engineInput(parameter.history, parameter.predictionConfigStack));
    const dropAfter = faults.dropConnectionAfterFragments;
    const stallAfter = faults.stallPredictAfterFragments;
    const frozen = new AbortController();
    const startedMs = performance.now();
    let firstTokenMs: number | null = null;
    let fragments = 0;
    const sendFragment = (fragment: object) => {
      if (frozen.signal.aborted) return;
      if (stallAfter !== undefined && fragments >= stallAfter) {
        // Frozen from here on: the engine is stopped so the test machine is not kept busy by an answer nobody gets.
        frozen.abort();
        return;
      }
      firstTokenMs ??= performance.now();
      open.send({ type: 'fragment', fragment });
      fragments += 1;
      // The fault knob: LM Studio vanishing in the middle of an answer.
      if (dropAfter !== undefined && fragments >= dropAfter) context.dropConnection();
    };

    const maxTokens = checkedNumber(config, 'llm.prediction.maxPredictedTokens') ?? null;
    const thinking = faults.think
      ? streamThinking(
          faults.think,
          { maxTokens, budgetTokens: checkedNumber(config, 'llm.prediction.reasoning.budgetTokens') },
          sendFragment,
        )
      : { tokens: 0, limitReached: false };
    const skipAnswer = thinking.limitReached || faults.think?.thenAnswer === false || stallAfter === 0;
    const answerTokens = maxTokens === null ? null : maxTokens - thinking.tokens;
    const signal = AbortSignal.any([cancel.signal, open.socketClosed, frozen.signal]);
    const onText = (text: string, tokenCount: number) => {
      // tokensCount is an int on the wire; a float would make the SDK drop the fragment (§7.2 item 5).
      const tokensCount = Math.max(0, Math.trunc(tokenCount));
      const fragment = { ...splitter.classify(text), tokensCount, containsDrafted: false };
      if (faults.malformedFragments) delete (fragment as Partial<typeof fragment>).reasoningType;
      sendFragment(fragment);
    };
    const result = skipAnswer
      ? ({ stopReason: thinking.limitReached ? 'maxTokens' : 'eos', promptTokens: 0, predictedTokens: 0 } as const)
      : faults.scriptAnswer !== undefined
        ? await streamScriptedAnswer(
            faults.scriptAnswer,
            { maxTokens: answerTokens, signal, pieceIntervalMs: faults.scriptPieceIntervalMs },
            onText,
          )
        : await instance.engineModel.generate({
            input: engineInput(parameter.history, parameter.predictionConfigStack),
            maxTokens: answerTokens,
            temperature: numberValue(config, 'llm.prediction.temperature') ?? 0.8,
            seed: checkedNumber(config, 'llm.prediction.seed'),
            stopStrings: stringArray(config, 'llm.prediction.stopStrings'),
            signal,
            onPromptProgress: (progress) =>
              frozen.signal.aborted || open.send({ type: 'promptProcessingProgress', progress }),
            onText,
          });
    // Never answers again, not even a cancel: the frozen LM Studio of issue 21, item 7.
    if (stallAfter !== undefined) return untilClosed(open.socketClosed);
    instances.touch(instance);
    const endMs = performance.now();
    const generatingSec = firstTokenMs === null ? 0 : (endMs - firstTokenMs) / 1000;
    const predictedTokens = thinking.tokens + result.predictedTokens;
    open.finish({
      type: 'success',
      stats: wireStats(stopReasons[result.stopReason], {
        tokensPerSecond: predictedTokens > 0 && generatingSec > 0 ? predictedTokens / generatingSec : null,
        numGpuLayers: 0,
        timeToFirstTokenSec: firstTokenMs === null ? null : (firstTokenMs - startedMs) / 1000,
        totalTimeSec: (endMs - startedMs) / 1000,
        promptTokensCount: result.promptTokens,
        predictedTokensCount: predictedTokens,
        totalTokensCount: result.promptTokens + predictedTokens,
      }),
      modelInfo: instanceInfo(instance),
      loadModelConfig: toKvConfig(instance.loadConfig),
      predictionConfig: toKvConfig(config),
    });
  });
}
