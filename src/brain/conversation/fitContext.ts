import type { ChatMessage } from '../backends/ModelBackend';
import { condensationNote } from './condensationNote';
import { defaultTemplateOverhead, type TemplateOverhead } from './templateOverhead';
import type { MessageTokenCache } from './tokenCountCache';
import { truncateStart, type TokenCounter } from './truncateStart';
import { splitTurns, type FitMessage } from './turns';

export type { FitMessage } from './turns';

export interface FitContextInput {
  systemPrompt: string;
  /** The conversation, oldest first, without the system prompt. */
  messages: readonly FitMessage[];
  /** The loaded context of the target model. */
  windowTokens: number;
  /** Room left free for the answer. */
  reserveForAnswerTokens: number;
  /** The target model's tokenizer. */
  countTokens: TokenCounter;
  /** Put one rule-based note in place of dropped messages (see condensationNote.ts); default false. */
  condense?: boolean;
  /** Counts of earlier turns for the target model (`TokenCountCache.forModel(key)`), so only new messages are counted. */
  cache?: MessageTokenCache;
  overhead?: TemplateOverhead;
}

export interface FitContextResult {
  /** What to send: the system message first (with the note, if any), then the kept messages in order. */
  messages: ChatMessage[];
  keptIds: string[];
  /** Oldest first; always a prefix of the conversation. */
  droppedIds: string[];
  condensedNote?: string;
  /** The latest user message, when its start had to be cut because it alone did not fit. */
  truncated?: { messageId: string; removedChars: number };
  /** Estimated tokens of the prompt as the model will see it, template overhead included. */
  promptTokens: number;
  /** promptTokens + reserveForAnswerTokens ≤ windowTokens. */
  fits: boolean;
  /** For the log and the dashboard: what was done and why. */
  reason: string;
}

/**
 * Fits a conversation into a model's window. Pure apart from the injected counter. The system prompt and the latest
 * turn (the last user message and anything after it) are always kept; then whole earlier turns (a user message with
 * its answers), newest first, while they fit — so the oldest are dropped first and a question never loses its answer
 * or the reverse. When the latest turn alone does not fit, the start of its user message is cut and the end kept.
 */
export async function fitContext(input: FitContextInput): Promise<FitContextResult> {
  const { systemPrompt, messages, windowTokens, reserveForAnswerTokens } = input;
  const { perMessageTokens, perPromptTokens } = input.overhead ?? defaultTemplateOverhead;
  if (!(windowTokens >= 0 && reserveForAnswerTokens >= 0)) throw new RangeError('token budgets must be ≥ 0');
  const count = async (text: string) => Math.max(0, Math.ceil(await input.countTokens(text)));
  const costOf = async (message: FitMessage) => {
    let tokens = input.cache?.get(message.id, message.content);
    if (tokens === undefined) {
      tokens = await count(message.content);
      input.cache?.set(message.id, message.content, tokens);
    }
    return tokens + perMessageTokens;
  };
  const systemCostOf = async (content: string) => (content === '' ? 0 : (await count(content)) + perMessageTokens);
  const budget = windowTokens - reserveForAnswerTokens - perPromptTokens;
  const budgetText = `${windowTokens}-token window`;

  const { earlier, latest } = splitTurns(messages);
  const systemCost = await systemCostOf(systemPrompt);
  let latestCost = 0;
  for (const message of latest) latestCost += await costOf(message);

  if (systemCost + latestCost > budget) {
    return fitLatestAlone({ input, latest, earlier, systemCost, latestCost, budget, count, costOf });
  }

  // Whole earlier turns, newest first, while they fit.
  const turnCosts: number[] = [];
  for (const turn of earlier) {
    let cost = 0;
    for (const message of turn) cost += await costOf(message);
    turnCosts.push(cost);
  }
  let firstKept = earlier.length;
  let used = systemCost + latestCost;
  while (firstKept > 0 && used + (turnCosts[firstKept - 1] ?? 0) <= budget) {
    firstKept -= 1;
    used += turnCosts[firstKept] ?? 0;
  }

  // The note takes room too: drop one more turn at a time until it fits with them, or go without it.
  let system = systemPrompt;
  let note: string | undefined;
  if (input.condense && firstKept > 0) {
    for (let cut = firstKept; cut <= earlier.length; cut += 1) {
      const candidate = condensationNote(earlier.slice(0, cut).flat(), windowTokens);
      const withNote = systemPrompt === '' ? candidate : `${systemPrompt}\n\n${candidate}`;
      const keptCost = turnCosts.slice(cut).reduce((sum, cost) => sum + cost, 0);
      const withNoteCost = await systemCostOf(withNote);
      if (withNoteCost + latestCost + keptCost <= budget) {
        [firstKept, system, note, used] = [cut, withNote, candidate, withNoteCost + latestCost + keptCost];
        break;
      }
    }
  }

  const dropped = earlier.slice(0, firstKept).flat();
  const kept = [...earlier.slice(firstKept).flat(), ...latest];
  const promptTokens = used + perPromptTokens;
  const reason =
    dropped.length === 0
      ? `all ${kept.length} messages fit the ${budgetText}`
      : `dropped the ${dropped.length} oldest of ${messages.length} messages to fit the ${budgetText}` +
        (note !== undefined ? '; a note stands in for them' : input.condense ? '; no room for a note' : '');
  return {
    messages: [...systemMessages(system), ...kept.map(({ role, content }) => ({ role, content }))],
    keptIds: kept.map((message) => message.id),
    droppedIds: dropped.map((message) => message.id),
    ...(note === undefined ? {} : { condensedNote: note }),
    promptTokens,
    fits: promptTokens + reserveForAnswerTokens <= windowTokens,
    reason: `${reason} (${promptTokens} prompt + ${reserveForAnswerTokens} reserved tokens)`,
  };
}

interface LatestAloneArgs {
  input: FitContextInput;
  latest: FitMessage[];
  earlier: FitMessage[][];
  systemCost: number;
  latestCost: number;
  budget: number;
  count: (text: string) => Promise<number>;
  costOf: (message: FitMessage) => Promise<number>;
}

/** Everything earlier is dropped; the latest turn's first message keeps as much of its end as fits beside the rest. */
async function fitLatestAlone(args: LatestAloneArgs): Promise<FitContextResult> {
  const { input, latest, earlier, systemCost, budget } = args;
  const { windowTokens, reserveForAnswerTokens } = input;
  const { perMessageTokens, perPromptTokens } = input.overhead ?? defaultTemplateOverhead;
  const dropped = earlier.flat();
  const [first, ...after] = latest;
  let afterCost = 0;
  for (const message of after) afterCost += await args.costOf(message);
  const room = budget - systemCost - afterCost - perMessageTokens;
  const base = {
    keptIds: latest.map((message) => message.id),
    droppedIds: dropped.map((message) => message.id),
  };
  const send = (firstContent: string | undefined) => [
    ...systemMessages(input.systemPrompt),
    ...latest.map(({ role, content }, index) => ({ role, content: index === 0 ? (firstContent ?? content) : content })),
  ];
  if (first === undefined || room <= 0) {
    const promptTokens = systemCost + args.latestCost + perPromptTokens;
    return {
      ...base,
      messages: send(undefined),
      promptTokens,
      fits: false,
      reason:
        `the system prompt (${systemCost} tokens) and the latest turn (${args.latestCost} tokens) do not fit the ` +
        `${windowTokens}-token window with ${reserveForAnswerTokens} reserved, and cutting the message cannot help`,
    };
  }
  const cut = await truncateStart(first.content, room, args.count);
  const promptTokens = systemCost + cut.tokens + perMessageTokens + afterCost + perPromptTokens;
  return {
    ...base,
    messages: send(cut.text),
    truncated: { messageId: first.id, removedChars: cut.removedChars },
    promptTokens,
    fits: promptTokens + reserveForAnswerTokens <= windowTokens,
    reason:
      `the latest message alone does not fit the ${windowTokens}-token window: its first ${cut.removedChars} ` +
      `characters were cut` +
      (dropped.length > 0 ? ` and all ${dropped.length} earlier messages dropped` : '') +
      ` (${promptTokens} prompt + ${reserveForAnswerTokens} reserved tokens)`,
  };
}

function systemMessages(content: string): ChatMessage[] {
  return content === '' ? [] : [{ role: 'system', content }];
}
