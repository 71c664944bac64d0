/**
 * Which model Mai should use now (DESIGN.md §3, Selection): a pure function of the catalog, the machine as sampled,
 * the tier and the request. Filters (usable, not avoided, capabilities, context window, fits memory counting what
 * the current model would free), scores the rest (selectModelScore), keeps the current model unless another is
 * clearly better, and degrades step by step when nothing meets the whole request.
 */
import type { ModelListing, ResourceSample } from '../../shared/contract';
import type { ModelCapability, ModelCategory } from '../config';
import type { Trend } from '../resources/trends';
import { defaultFitMargins, type FitMargins } from './fit';
import { assess, type Assessment } from './selectModelFilter';
import { memoryBudget } from './selectModelMemory';
import { deferredText, placementText, preferThisMachine } from './selectModelHosts';
import { degradeText, explainChoice, failureText, outscoredText, percent, points } from './selectModelReason';
import { byScore, scoreParts, scoreTotal, type RequestComplexity } from './selectModelScore';

export type { RequestComplexity } from './selectModelScore';

export interface SelectionRequest {
  /** What the message needs beyond chat (chat is always implied). */
  capabilities: readonly ModelCapability[];
  /** Tokens the conversation needs in the window (prompt, history kept, and room to answer). */
  tokensNeeded: number;
  complexity: RequestComplexity;
}

export interface SelectionInputs {
  catalog: readonly ModelListing[];
  sample: ResourceSample;
  /** A TierSpec with its name will do; only the preference order is read. */
  tier: { name: string; preferredCategories: readonly ModelCategory[] };
  request: SelectionRequest;
  currentKey: string | null;
  /** Keys to stay away from, and why (a failed load in backoff, the scaler asking to leave the current one). */
  avoid: ReadonlyMap<string, string>;
  /** What unloading the current model would give back. */
  freedByCurrent: { ramBytes: number; vramBytes: number };
  margins?: FitMargins;
  /** Memory's trend; a steady rise sets RAM aside (see trendReserveBytes). */
  memoryTrend?: Trend;
}

export interface Selection {
  choice: ModelListing | null;
  reason: string;
  /** Every other catalog entry with why it was not chosen. */
  rejected: { key: string; reason: string }[];
  /** True when the choice falls short of the request (see the reason for how). */
  degraded: boolean;
}

/**
 * The current model stays unless the best alternative scores at least 10 % higher. A switch costs an unload and a
 * load (5-60 s without answers) and a re-count of the conversation. The headroom part drifts with every sample (a
 * point per 5 % of RAM, a browser tab's worth), while a real step (one tier step, 13.3 points) is ≥ 14 % of even
 * the highest score (~95), so 10 % lets real steps through and keeps drift and near-ties from swapping models.
 */
export const keepCurrentMarginFraction = 0.1;

function keyOrder(a: Assessment, b: Assessment): number {
  return a.footprintBytes - b.footprintBytes || (a.listing.key < b.listing.key ? -1 : 1);
}

interface Picked {
  chosen: Assessment;
  reason: string;
}

/** `ranked` is best first, each with its score set. */
function pickWithHysteresis(ranked: Assessment[], inputs: SelectionInputs, all: readonly Assessment[]): Picked {
  const best = ranked[0] as Assessment;
  const { tier, request, currentKey } = inputs;
  const explain = (chosen: Assessment) =>
    explainChoice(
      chosen,
      scoreParts(chosen, tier.preferredCategories, request.complexity),
      ranked.find((s) => s !== chosen),
      tier,
      request.complexity,
    );
  const current = ranked.find((s) => s.listing.key === currentKey);
  if (current === best) return { chosen: best, reason: `kept ${explain(best)}` };
  if (!current) {
    const gone = all.find((a) => a.listing.key === currentKey);
    // A current model with no shortfall was passed over for where it runs (placementText says so).
    const prefix = gone && gone.failures.length > 0 ? `left ${currentKey}, which ${failureText(gone)}; ` : '';
    return { chosen: best, reason: `${prefix}chose ${explain(best)}` };
  }
  const gain = (best.score - current.score) / Math.max(1, current.score);
  const versus = `(${points(best.score)} vs ${points(current.score)})`;
  if (gain < keepCurrentMarginFraction) {
    return {
      chosen: current,
      reason:
        `kept ${current.listing.key}: the best alternative, ${best.listing.key}, scores only ${percent(gain)} higher ` +
        `${versus}; a switch needs ${percent(keepCurrentMarginFraction)}`,
    };
  }
  return {
    chosen: best,
    reason: `switch from ${current.listing.key}: ${best.listing.key} scores ${percent(gain)} higher ${versus}; ${explain(best)}`,
  };
}

/** Every entry but the chosen one, with why: its shortfalls, or its score against the choice's if it was ranked. */
function rejectedExcept(
  chosen: Assessment | null,
  all: readonly Assessment[],
  wasRanked: (a: Assessment) => boolean,
): Selection['rejected'] {
  const against = chosen ? ` against ${chosen.listing.key}'s ${points(chosen.score)}` : '';
  const rejected: Selection['rejected'] = [];
  for (const a of all) {
    if (a === chosen) continue;
    const deferred = chosen && wasRanked(a) ? deferredText(a, chosen) : null;
    const reason = deferred ?? (chosen && wasRanked(a) ? outscoredText(a, against) : failureText(a));
    rejected.push({ key: a.listing.key, reason });
  }
  return rejected;
}

export function selectModel(inputs: SelectionInputs): Selection {
  const { sample, request } = inputs;
  const capabilities = [...new Set<ModelCapability>(['chat', ...request.capabilities])];
  const budget = memoryBudget(
    {
      sample,
      margins: inputs.margins ?? defaultFitMargins,
      currentKey: inputs.currentKey,
      freedByCurrent: inputs.freedByCurrent,
    },
    inputs.memoryTrend,
  );
  const context = { capabilities, tokensNeeded: request.tokensNeeded, avoid: inputs.avoid, budget };
  const all = inputs.catalog.map((listing) => assess(listing, context));

  // The first degrade step with any candidate: 0 (no degrade) when one meets the whole request.
  const step = all.reduce((least, a) => Math.min(least, a.relaxStep), Infinity);
  if (step !== Infinity) {
    const ranked = all.filter((a) => a.relaxStep <= step);
    for (const a of ranked) a.score = scoreTotal(a, inputs.tier.preferredCategories, request.complexity);
    ranked.sort(byScore);
    const { chosen, reason: picked } = pickWithHysteresis(preferThisMachine(ranked), inputs, all);
    const placement = placementText(chosen, all, sample, inputs.currentKey);
    const reason = placement ? `${placement}; ${picked}` : picked;
    const degraded = step > 0;
    return {
      choice: chosen.listing,
      reason: degraded ? `${degradeText(chosen, false)}. ${reason}` : reason,
      rejected: rejectedExcept(chosen, all, (a) => a.relaxStep <= step),
      degraded,
    };
  }

  // Nothing fits memory: the smallest usable model may still load, and is the least likely to push into swap.
  // Avoided models come last, used only when they are all there is.
  const usable = all.filter((a) => a.failures.every((f) => f.kind !== 'unusable'));
  const fresh = usable.filter((a) => a.failures.every((f) => f.kind !== 'avoided'));
  const smallest = [...(fresh.length > 0 ? fresh : usable)].sort(keyOrder)[0];
  if (!smallest) {
    const reason =
      all.length === 0
        ? 'no models found: download one in LM Studio or put a GGUF file in the models folder'
        : `no usable model among ${all.length}: ${all.map((a) => `${a.listing.key} (${failureText(a)})`).join('; ')}`;
    return { choice: null, reason, rejected: rejectedExcept(null, all, () => false), degraded: true };
  }
  const placement = placementText(smallest, all, sample, inputs.currentKey);
  return {
    choice: smallest.listing,
    reason: placement ? `${placement}; ${degradeText(smallest, true)}` : degradeText(smallest, true),
    rejected: rejectedExcept(smallest, all, () => false),
    degraded: true,
  };
}
