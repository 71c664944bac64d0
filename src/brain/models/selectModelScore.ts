/**
 * Scores a candidate that passed the filters, on a 0-100 scale made of four named parts, so a reason can say which
 * part decided.
 */
import { modelCategories, type ModelCapability, type ModelCategory } from '../config';
import type { Assessment } from './selectModelFilter';

export type RequestComplexity = 'simple' | 'moderate' | 'complex';

/**
 * Points per part. The tier's preference (40) says what the machine runs well, from its RAM, cores and GPU.
 * Complexity (40) says what the message needs; a complex message's lean is strong enough to overrule one step of
 * the tier, never two. Headroom (10) and capability match (10) break near-ties: toward the model that leaves the
 * machine room, and toward models listed for what a demanding message leans on; neither alone outweighs a tier step.
 */
export const scoreWeights = { tier: 40, complexity: 40, headroom: 10, capability: 10 } as const;

/**
 * Complexity's lean, as the share of its points each category gets. Complex: the largest model, 20 points a
 * category, which beats a tier step (13.3) with room for headroom differences. Moderate: medium serves as well as
 * large. Simple: anything serves, so the cheaper gets a little more, 10 points a category, less than a tier step:
 * "smaller is fine", not "smaller is better than what the tier prefers".
 */
export const complexityLean: Record<RequestComplexity, Record<ModelCategory, number>> = {
  simple: { small: 0.5, medium: 0.25, large: 0 },
  moderate: { small: 0.25, medium: 0.5, large: 0.5 },
  complex: { small: 0, medium: 0.5, large: 1 },
};

/** Capabilities that help beyond what is required: a complex message draws on reasoning and analysis. */
export const helpfulCapabilities: Record<RequestComplexity, readonly ModelCapability[]> = {
  simple: [],
  moderate: ['analysis'],
  complex: ['reasoning', 'analysis'],
};

/**
 * Headroom counts up to half of memory left free and no further: past that, more room changes nothing for the
 * person, and a tiny model on a big machine should not win on room alone.
 */
export const headroomSaturationFraction = 0.5;

export interface ScoreParts {
  tier: number;
  complexity: number;
  headroom: number;
  capability: number;
  total: number;
}

export function isCategory(value: string): value is ModelCategory {
  return (modelCategories as readonly string[]).includes(value);
}

/**
 * One step down the tier's list costs a third of its points whatever the list's length, so "one step" means the same
 * on every tier: the most preferred gets 40, the next 26.7, the third 13.3, an unlisted category 0. A complex
 * message's lean (20 a category) outweighs one step; a simple or moderate message's lean (10 a category) does not.
 */
export const tierStepPoints = scoreWeights.tier / modelCategories.length;

export function tierPoints(category: ModelCategory, preferred: readonly ModelCategory[]): number {
  const index = preferred.indexOf(category);
  return index < 0 ? 0 : Math.max(0, scoreWeights.tier - index * tierStepPoints);
}

function categoryOf(assessment: Assessment): ModelCategory {
  const { category } = assessment.listing;
  return isCategory(category) ? category : 'small';
}

function headroomPoints(assessment: Assessment): number {
  return scoreWeights.headroom * Math.min(1, Math.max(0, assessment.headroomFraction) / headroomSaturationFraction);
}

function capabilityPoints(assessment: Assessment, complexity: RequestComplexity): number {
  const helpful = helpfulCapabilities[complexity];
  if (helpful.length === 0) return 0;
  let matched = 0;
  for (const capability of helpful) if (assessment.listing.capabilities.includes(capability)) matched += 1;
  return (scoreWeights.capability * matched) / helpful.length;
}

/** The score's parts, for saying why a model was chosen. */
export function scoreParts(
  assessment: Assessment,
  preferred: readonly ModelCategory[],
  complexity: RequestComplexity,
): ScoreParts {
  const category = categoryOf(assessment);
  const tier = tierPoints(category, preferred);
  const lean = scoreWeights.complexity * complexityLean[complexity][category];
  const headroom = headroomPoints(assessment);
  const capability = capabilityPoints(assessment, complexity);
  return { tier, complexity: lean, headroom, capability, total: tier + lean + headroom + capability };
}

/** The score alone, without building its parts: this runs for every candidate of every decision. */
export function scoreTotal(
  assessment: Assessment,
  preferred: readonly ModelCategory[],
  complexity: RequestComplexity,
): number {
  const category = categoryOf(assessment);
  return (
    tierPoints(category, preferred) +
    scoreWeights.complexity * complexityLean[complexity][category] +
    headroomPoints(assessment) +
    capabilityPoints(assessment, complexity)
  );
}

/** Best first: higher score, then the smaller footprint (cheaper to load and run), then the key for a stable order. */
export function byScore(a: Assessment, b: Assessment): number {
  return (
    b.score - a.score ||
    a.footprintBytes - b.footprintBytes ||
    (a.listing.key < b.listing.key ? -1 : a.listing.key > b.listing.key ? 1 : 0)
  );
}
