import type { LlamaChat, LlamaChatResponseChunk, LlamaCompletion, Token } from 'node-llama-cpp';
import { loadedNodeLlamaCpp } from '../lazyModules';
import type { Clock } from '../../clock';
import { BackendError, type ChatMessage } from '../ModelBackend';
import { renderChatPrompt, toChatHistory } from './chatFormat';
import { computeStats, toStopReason, type EngineStopReason } from './generationStats';
import type { EmbeddedGenerateOptions, EmbeddedResult, LoadedEntry } from './types';

export type GenerationRequest =
  | { kind: 'chat'; messages: readonly ChatMessage[] }
  /** Fed verbatim: a string is tokenized with special tokens parsed (e.g. "<|im_start|>"), tokens are used as-is. */
  | { kind: 'prompt'; prompt: string | readonly number[] };

// LM Studio's default, so both engines answer alike when Mai names no temperature.
const defaultTemperature = 0.8;

/** The tokens to feed, and how many the context will hold once the engine adds what it adds (BOS). */
function promptOf(entry: LoadedEntry, request: GenerationRequest): { tokens: Token[]; contextTokens: number } {
  if (request.kind === 'chat') {
    const { tokens } = renderChatPrompt(entry.model, entry.chatWrapper, request.messages);
    return { tokens, contextTokens: tokens.length };
  }
  const tokens =
    typeof request.prompt === 'string' ? entry.model.tokenize(request.prompt, true) : ([...request.prompt] as Token[]);
  // LlamaCompletion prepends BOS itself where the vocabulary wants one; a prompt that starts with it would get two.
  const { bos, shouldPrependBosToken } = entry.model.tokens;
  const withoutBos = shouldPrependBosToken && bos !== null && tokens[0] === bos ? tokens.slice(1) : tokens;
  return { tokens: withoutBos, contextTokens: withoutBos.length + (shouldPrependBosToken && bos !== null ? 1 : 0) };
}

/**
 * One generation on a loaded model, queued behind the model's others. Cancelling keeps the partial text (stopReason
 * 'cancelled'); a prompt longer than the context comes back empty with 'contextFull' (fitting it is fitContext's
 * job, and silently dropping turns here would hide that); generation stops at the end of the window ('contextFull')
 * instead of shifting it.
 */
export function generate(
  entry: LoadedEntry,
  request: GenerationRequest,
  options: EmbeddedGenerateOptions,
  clock: Clock,
): Promise<EmbeddedResult> {
  return entry.queue.run(async () => {
    const startMs = clock.monotonicMs();
    let firstTokenMs: number | null = null;
    let predictedTokens = 0;
    let tokensSinceChunk = 0;
    let text = '';
    let reasoning = '';
    let answerTokens = 0;
    // Reasoning on its own budget: the engine may write both budgets, and the answer is stopped at its own.
    const answerCapTokens = options.maxReasoningTokens === undefined ? null : (options.maxTokens ?? null);
    let answerFull = false;
    const finish = (engineReason: EngineStopReason, stopString: string | null, promptTokens: number | null) => {
      const reason = answerFull ? 'maxTokens' : engineReason;
      return { text, ...(reasoning === '' ? {} : { reasoning }), stats: statsFor(reason, stopString, promptTokens) };
    };
    const statsFor = (reason: EngineStopReason, stopString: string | null, promptTokens: number | null) =>
      computeStats(
        { startMs, firstTokenMs, endMs: clock.monotonicMs() },
        { predictedTokens, promptTokens },
        {
          stopReason: toStopReason(reason, predictedTokens, options.maxTokens),
          stopString,
          gpuLayers: entry.gpuLayers,
        },
      );
    if (options.signal?.aborted) return finish('abort', null, null);

    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, options.timeoutMs);
    entry.active = controller;
    try {
      const prompt = promptOf(entry, request);
      const room = entry.context.contextSize - prompt.contextTokens - 1;
      if (room <= 0) return finish('maxTokens', null, prompt.contextTokens);
      // A seeded request must be reproducible: reusing a cached prefix evaluates the prompt in other batch shapes,
      // which round differently and can change the sampled text. So seeded requests start from an empty cache.
      if (options.seed !== undefined) await entry.sequence.clearHistory();
      const budget = options.maxTokens === undefined ? room : options.maxTokens + (options.maxReasoningTokens ?? 0);
      const shared = {
        signal: controller.signal,
        stopOnAbortSignal: true,
        maxTokens: Math.min(budget, room),
        temperature: options.temperature ?? defaultTemperature,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.topK === undefined ? {} : { topK: options.topK }),
        ...(options.topP === undefined ? {} : { topP: options.topP }),
        ...(options.stopStrings?.length ? { customStopTriggers: [...options.stopStrings] } : {}),
        onToken: (tokens: Token[]) => {
          firstTokenMs ??= clock.monotonicMs();
          predictedTokens += tokens.length;
          tokensSinceChunk += tokens.length;
          answerTokens += tokens.length;
          if (answerCapTokens !== null && answerTokens >= answerCapTokens) {
            answerFull = true;
            controller.abort();
          }
        },
        onTextChunk: (chunk: string) => {
          text += chunk;
          options.onFragment?.(chunk);
          options.onChunk?.({ text: chunk, tokenCount: tokensSinceChunk });
          tokensSinceChunk = 0;
        },
      };
      // Thought segments (a Qwen3-style model's <think>) stay out of the answer; only their text is kept, apart.
      const onThought = (chunk: LlamaChatResponseChunk) => {
        if (chunk.type !== 'segment' || chunk.segmentType !== 'thought') return;
        firstTokenMs ??= clock.monotonicMs();
        predictedTokens += chunk.tokens.length;
        reasoning += chunk.text;
      };
      const thoughtBudget = options.maxReasoningTokens;
      const metadata =
        request.kind === 'chat'
          ? await runChat(entry, request.messages, {
              ...shared,
              onResponseChunk: onThought,
              ...(thoughtBudget === undefined ? {} : { budgets: { thoughtTokens: thoughtBudget } }),
            })
          : await runCompletion(entry, prompt.tokens, shared);
      if (timedOut) throw timeoutError(options.timeoutMs, predictedTokens);
      const stopString =
        metadata.stopReason === 'customStopTrigger'
          ? metadata.customStopTrigger.filter((part) => typeof part === 'string').join('')
          : null;
      return finish(metadata.stopReason, stopString, prompt.contextTokens);
    } catch (error) {
      if (timedOut) throw timeoutError(options.timeoutMs, predictedTokens);
      // Unloading mid-generation disposes the sequence under the engine; that is a cancel, not a failure.
      if (controller.signal.aborted) return finish('abort', null, null);
      if (error instanceof BackendError) throw error;
      throw new BackendError('internal', `generation failed: ${String(error)}`, 'embedded', { cause: error });
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      entry.active = null;
    }
  });
}

function timeoutError(timeoutMs: number | undefined, predictedTokens: number): BackendError {
  return new BackendError(
    'timeout',
    `the embedded engine did not finish within ${timeoutMs} ms (${predictedTokens} tokens written)`,
    'embedded',
  );
}

type SharedOptions = Parameters<LlamaCompletion['generateCompletionWithMeta']>[1] & object;

async function runChat(
  entry: LoadedEntry,
  messages: readonly ChatMessage[],
  shared: Parameters<LlamaChat['generateResponse']>[1],
) {
  // A loaded entry exists only once node-llama-cpp has loaded it.
  const { LlamaChat } = loadedNodeLlamaCpp();
  const chat = new LlamaChat({ contextSequence: entry.sequence, chatWrapper: entry.chatWrapper });
  try {
    const { metadata } = await chat.generateResponse(toChatHistory(messages), shared);
    return metadata;
  } finally {
    chat.dispose({ disposeSequence: false });
  }
}

async function runCompletion(entry: LoadedEntry, promptTokens: Token[], shared: SharedOptions) {
  const { LlamaCompletion } = loadedNodeLlamaCpp();
  const completion = new LlamaCompletion({ contextSequence: entry.sequence });
  try {
    const { metadata } = await completion.generateCompletionWithMeta(promptTokens, {
      ...shared,
      disableContextShift: true,
    });
    return metadata;
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}
