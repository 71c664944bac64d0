/**
 * Each catalog entry against the request and the machine: every reason it falls short (not just the first, so a
 * person sees all of them and the degrade steps can relax some), and the memory it would leave free.
 */
import type { ModelListing } from '../../shared/contract';
import type { ModelCapability } from '../config';
import { defaultWorkingContextTokens } from './catalog';
import { memoryCheck, type MemoryBudget } from './selectModelMemory';

export type FailureKind = 'unusable' | 'avoided' | 'soft_capability' | 'hard_capability' | 'context' | 'memory';

/**
 * The degrade step at which each shortfall is forgiven, in order: capabilities any chat model can attempt; then a
 * short window (the conversation is trimmed to fit it); then vision or tools (the text still gets an answer). Memory
 * never is: a model that does not fit may fail to load or push the machine into swap (selectModel's last resort is
 * the smallest model, not a bigger one); nor an avoided or unusable model.
 */
export const forgivenAtStep: Readonly<Record<FailureKind, number>> = {
  soft_capability: 1,
  context: 2,
  hard_capability: 3,
  memory: Infinity,
  avoided: Infinity,
  unusable: Infinity,
};

export interface Failure {
  kind: FailureKind;
  reason: string;
}

export interface Assessment {
  listing: ModelListing;
  /** Empty when the model meets the request and fits. */
  failures: Failure[];
  /** Share of the tighter memory (RAM, or VRAM where it offloads) left free after the margins with it loaded. */
  headroomFraction: number;
  /** Its estimate, RAM and VRAM together: what "smallest" means. */
  footprintBytes: number;
  /** The first degrade step that forgives all its failures: 0 when it has none, Infinity when no step does. */
  relaxStep: number;
  /** Its score (0-100), set by selectModel on the candidates it ranks; 0 until then. */
  score: number;
}

/**
 * Capabilities any chat model can attempt, a listed one only does better: missing them is the first thing a degrade
 * forgives. Vision and tools are different: a model without them cannot take the image or make the call at all.
 */
export const softCapabilities: readonly ModelCapability[] = ['code', 'reasoning', 'analysis'];

export interface AssessContext {
  capabilities: readonly ModelCapability[];
  tokensNeeded: number;
  avoid: ReadonlyMap<string, string>;
  budget: MemoryBudget;
}

/** "12,000": digits grouped by hand; Intl's toLocaleString costs microseconds a call, and a catalog has hundreds. */
function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function assess(listing: ModelListing, ctx: AssessContext): Assessment {
  const failures: Failure[] = [];
  const estimate = listing.estimate;
  if (!listing.usable || !estimate) {
    const why = listing.usable ? 'no memory estimate' : listing.reason || 'unusable';
    return {
      listing,
      failures: [{ kind: 'unusable', reason: why }],
      headroomFraction: 0,
      footprintBytes: Infinity,
      relaxStep: Infinity,
      score: 0,
    };
  }
  if (!listing.capabilities.includes('chat')) {
    // An embedding or vision-only model cannot hold a conversation; no degrade step may fall back to it.
    return {
      listing,
      failures: [{ kind: 'unusable', reason: 'not a chat model' }],
      headroomFraction: 0,
      footprintBytes: Infinity,
      relaxStep: Infinity,
      score: 0,
    };
  }
  const avoided = ctx.avoid.get(listing.key);
  if (avoided !== undefined) failures.push({ kind: 'avoided', reason: `avoided: ${avoided}` });

  // Lists only when something is missing: most candidates have everything, and this runs for every one.
  let hard: ModelCapability[] | null = null;
  let soft: ModelCapability[] | null = null;
  for (const capability of ctx.capabilities) {
    if (listing.capabilities.includes(capability)) continue;
    if (softCapabilities.includes(capability)) (soft ??= []).push(capability);
    else (hard ??= []).push(capability);
  }
  if (hard) failures.push({ kind: 'hard_capability', reason: `cannot do ${hard.join(', ')}` });
  if (soft) failures.push({ kind: 'soft_capability', reason: `not listed for ${soft.join(', ')}` });

  const window = listing.contextWindow ?? defaultWorkingContextTokens;
  if (window < ctx.tokensNeeded) {
    const known = listing.contextWindow === null ? ' (unknown, assumed)' : '';
    failures.push({
      kind: 'context',
      reason: `its ${thousands(window)}-token window${known} is short of the ${thousands(ctx.tokensNeeded)} needed`,
    });
  }

  const memory = memoryCheck(listing, estimate, ctx.budget);
  if (memory.reason !== null) failures.push({ kind: 'memory', reason: memory.reason });
  return {
    listing,
    failures,
    headroomFraction: memory.headroomFraction,
    // A host's model costs nothing here; what it needs there still says which is the smaller.
    footprintBytes: listing.host
      ? (listing.host.needsBytes ?? listing.sizeBytes)
      : estimate.ramBytes + estimate.vramBytes,
    relaxStep: failures.reduce((step, f) => Math.max(step, forgivenAtStep[f.kind]), 0),
    score: 0,
  };
}
