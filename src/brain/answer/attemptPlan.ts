/**
 * Which model answers a message, attempt by attempt (pure): the pinned model; after a failure, the failed model's
 * configured fallback chain; otherwise selectModel's choice. Each plan says how to load it and why, and
 * `afterFailure` gives the next attempt's state.
 */
import type { BackendId, DecisionKind, DecisionTrigger, ModelListing, ResourceSample } from '../../shared/contract';
import type { ModelCategory } from '../config';
import { requiredCapabilities, scoreComplexity } from '../conversation/complexity';
import { defaultWorkingContextTokens } from '../models/catalog';
import { selectModel } from '../models/selectModel';

/** Three models tried per message: the choice and two fallbacks. More only delays the error a person needs. */
export const maxAttemptsPerMessage = 3;

/**
 * When nothing fits, Mai degrades: the smallest model, and a 1024-token window instead of the working 4k, which
 * cuts the KV cache to a quarter (a few recent turns still fit; fitContext drops the rest and records it).
 */
export const degradedContextTokens = 1024;

export interface AttemptState {
  /** 0 for the first try. */
  attempt: number;
  /** Models that failed on this message. */
  tried: ReadonlySet<string>;
  failedKey: string | null;
  /** Engines that went away (LM Studio closed, refused): skipped for the rest of this message. */
  lostBackends: ReadonlySet<BackendId>;
}

export const firstAttempt: AttemptState = { attempt: 0, tried: new Set(), failedKey: null, lostBackends: new Set() };

export interface AttemptInputs {
  state: AttemptState;
  catalog: readonly ModelListing[];
  sample: ResourceSample;
  tier: { name: string; preferredCategories: readonly ModelCategory[] };
  text: string;
  /** The conversation so far, the new message included. */
  history: readonly { content: string }[];
  pinnedKey: string | null;
  /** A model the person asked for by name for this answer only (regenerate with another model); before the pin. */
  requestedKey?: string;
  /** Models in failure backoff, and why. */
  avoided: ReadonlyMap<string, string>;
  /** The configured fallback chain of `state.failedKey`. */
  fallbackChain: readonly string[];
  current: { key: string; estimateRamBytes: number; estimateVramBytes: number } | null;
}

export interface AttemptPlan {
  entry: ModelListing;
  kind: DecisionKind;
  trigger: DecisionTrigger;
  reason: string;
  contextLength: number;
}

function choose(inputs: AttemptInputs): { entry: ModelListing; reason: string; degraded: boolean } | null {
  const { state, catalog } = inputs;
  const avoid = new Map(inputs.avoided);
  for (const key of state.tried) avoid.set(key, 'failed while answering this message');
  const requested = inputs.requestedKey;
  const requestedEntry = requested ? catalog.find((m) => m.key === requested && !avoid.has(m.key)) : undefined;
  if (requestedEntry)
    return { entry: requestedEntry, reason: `asked for ${requested} for this answer`, degraded: false };
  const pinned = inputs.pinnedKey;
  const pinnedEntry = pinned ? catalog.find((m) => m.key === pinned && !avoid.has(m.key)) : undefined;
  if (pinnedEntry) return { entry: pinnedEntry, reason: `pinned to ${pinned}`, degraded: false };
  for (const key of inputs.fallbackChain) {
    const entry = catalog.find((m) => m.key === key && m.usable && !avoid.has(m.key));
    if (entry) return { entry, reason: `fallback of ${state.failedKey}: ${key}`, degraded: false };
  }
  const complexity = scoreComplexity({ text: inputs.text, turns: inputs.history.length });
  // ~4 characters a token in English, the message counted once more as room for an answer of its length; the real
  // count, with the model's tokenizer, comes in fitContext.
  const tokensNeeded = Math.ceil(inputs.history.reduce((sum, m) => sum + m.content.length, inputs.text.length) / 4);
  const selection = selectModel({
    catalog,
    sample: inputs.sample,
    tier: inputs.tier,
    request: { capabilities: requiredCapabilities(inputs.text, []), tokensNeeded, complexity: complexity.level },
    currentKey: inputs.current?.key ?? null,
    avoid,
    freedByCurrent: {
      ramBytes: inputs.current?.estimateRamBytes ?? 0,
      vramBytes: inputs.current?.estimateVramBytes ?? 0,
    },
  });
  return selection.choice ? { entry: selection.choice, reason: selection.reason, degraded: selection.degraded } : null;
}

/** The next model to try and how, or null when none is left. */
export function planAttempt(inputs: AttemptInputs): AttemptPlan | null {
  if (inputs.state.attempt >= maxAttemptsPerMessage) return null;
  const choice = choose(inputs);
  if (!choice) return null;
  const working = choice.entry.estimate?.contextLength ?? defaultWorkingContextTokens;
  const contextLength = choice.degraded ? Math.min(working, degradedContextTokens) : working;
  const reason =
    contextLength < working ? `${choice.reason}; with a ${contextLength}-token window to save memory` : choice.reason;
  if (inputs.state.attempt > 0)
    return { entry: choice.entry, kind: 'switch', trigger: 'failure', reason, contextLength };
  const kind = choice.degraded ? 'degraded' : 'selection';
  return { entry: choice.entry, kind, trigger: kind, reason, contextLength };
}

/** The state for the next attempt after `key` failed; `lostBackend` names an engine that went away. */
export function afterFailure(state: AttemptState, key: string, lostBackend: BackendId | null): AttemptState {
  return {
    attempt: state.attempt + 1,
    tried: new Set([...state.tried, key]),
    failedKey: key,
    lostBackends: lostBackend ? new Set([...state.lostBackends, lostBackend]) : state.lostBackends,
  };
}
