import { z } from 'zod';
import { channel, type Endpoint } from './endpoints';
import type { EngineChatRole, EngineGenerateRequest, EngineStopReason } from './engine';
import { instanceInfo, type InstanceRegistry } from './instances';
import { checkedNumber, collapseStack, numberValue, stringArray, toKvConfig, type KvValues } from './kvConfig';
import { ReasoningSplitter } from './reasoningSplitter';
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

/** `predict` (§4.4): promptProcessingProgress* → fragment* → exactly one success → channelClose. */
export function predictEndpoint(instances: InstanceRegistry): Endpoint {
  return channel(predictParameter, async (parameter, open, context) => {
    const instance = instances.resolve(parameter.modelSpecifier, false);
    if (!instance) {
      throw parameter.modelSpecifier.type === 'instanceReference'
        ? specificModelUnloaded()
        : noModelMatchingQuery(parameter.modelSpecifier.query, instances.identifiers());
    }
    const config: KvValues = collapseStack(parameter.predictionConfigStack, predictionDefaults);
    const cancel = new AbortController();
    open.onMessage((message) => cancelPacketSchema.safeParse(message).success && cancel.abort());
    const splitter = new ReasoningSplitter(
      (config.get('llm.prediction.reasoning.parsing') as { enabled?: boolean } | undefined)?.enabled !== false,
    );
    const dropAfter = context.faults.dropConnectionAfterFragments;
    const startedMs = performance.now();
    let firstTokenMs: number | null = null;
    let fragments = 0;

    const result = await instance.engineModel.generate({
      input: engineInput(parameter.history, parameter.predictionConfigStack),
      maxTokens: checkedNumber(config, 'llm.prediction.maxPredictedTokens') ?? null,
      temperature: numberValue(config, 'llm.prediction.temperature') ?? 0.8,
      seed: checkedNumber(config, 'llm.prediction.seed'),
      stopStrings: stringArray(config, 'llm.prediction.stopStrings'),
      signal: AbortSignal.any([cancel.signal, open.socketClosed]),
      onPromptProgress: (progress) => open.send({ type: 'promptProcessingProgress', progress }),
      onText: (text, tokenCount) => {
        firstTokenMs ??= performance.now();
        // tokensCount is an int on the wire; a float would make the SDK drop the fragment (§7.2 item 5).
        const tokensCount = Math.max(0, Math.trunc(tokenCount));
        const fragment = { ...splitter.classify(text), tokensCount, containsDrafted: false };
        if (context.faults.malformedFragments) delete (fragment as Partial<typeof fragment>).reasoningType;
        open.send({ type: 'fragment', fragment });
        fragments += 1;
        // The fault knob: LM Studio vanishing in the middle of an answer.
        if (dropAfter !== undefined && fragments >= dropAfter) context.dropConnection();
      },
    });
    const endMs = performance.now();
    const generatingSec = firstTokenMs === null ? 0 : (endMs - firstTokenMs) / 1000;
    open.finish({
      type: 'success',
      stats: wireStats(stopReasons[result.stopReason], {
        tokensPerSecond:
          result.predictedTokens > 0 && generatingSec > 0 ? result.predictedTokens / generatingSec : null,
        numGpuLayers: 0,
        timeToFirstTokenSec: firstTokenMs === null ? null : (firstTokenMs - startedMs) / 1000,
        totalTimeSec: (endMs - startedMs) / 1000,
        promptTokensCount: result.promptTokens,
        predictedTokensCount: result.predictedTokens,
        totalTokensCount: result.promptTokens + result.predictedTokens,
      }),
      modelInfo: instanceInfo(instance),
      loadModelConfig: toKvConfig(instance.loadConfig),
      predictionConfig: toKvConfig(config),
    });
  });
}
