/** Sentences for a person about a selection: why this model, why not the others. */
import { formatBytes } from '../../shared/format';
import type { Assessment } from './selectModelFilter';
import { isCategory, type RequestComplexity, type ScoreParts } from './selectModelScore';

export function points(value: number): string {
  return value.toFixed(0);
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

export function failureText(assessment: Assessment): string {
  const { failures } = assessment;
  return failures.length === 1 ? (failures[0]?.reason ?? '') : failures.map((f) => f.reason).join('; ');
}

function tierText(category: string, tierName: string, preferred: readonly string[]): string {
  const index = preferred.indexOf(category);
  if (index === 0) return `${tierName} prefers ${category} models`;
  if (index > 0) return `${category} is ${tierName}'s choice no. ${index + 1}`;
  return `${tierName} does not list ${category} models`;
}

const complexityText: Record<RequestComplexity, string> = {
  simple: 'a simple message is served by a smaller model too',
  moderate: 'a moderate message',
  complex: 'a complex message leans to larger models',
};

/** "qwen3-8b (medium, score 62): mid_range prefers medium models; ...; next best smollm2 at 41". */
export function explainChoice(
  chosen: Assessment,
  score: ScoreParts,
  runnerUp: Assessment | undefined,
  tier: { name: string; preferredCategories: readonly string[] },
  complexity: RequestComplexity,
): string {
  const { listing } = chosen;
  const parts = [tierText(listing.category, tier.name, tier.preferredCategories), complexityText[complexity]];
  if (score.capability > 0) {
    const helpful = ['reasoning', 'analysis'].filter((c) => listing.capabilities.includes(c));
    parts.push(`listed for ${helpful.join(' and ')}`);
  }
  // A host's model takes nothing here: what counts is the room it has there, as the catalog worded it.
  parts.push(
    listing.host
      ? listing.reason
      : `leaves ${percent(Math.max(0, chosen.headroomFraction))} of memory free beyond the margins`,
  );
  if (runnerUp) parts.push(`next best ${runnerUp.listing.key} at ${points(runnerUp.score)}`);
  const category = isCategory(listing.category) ? listing.category : 'unknown size';
  return `${listing.key} (${category}, score ${points(score.total)}): ${parts.join('; ')}`;
}

/** Why a candidate that qualified was not taken; `against` is e.g. " against qwen3-8b's 62", worded once. */
export function outscoredText(candidate: Assessment, against: string): string {
  const forgiven = candidate.failures.length > 0 ? `${failureText(candidate)}; ` : '';
  return `${forgiven}scores ${points(candidate.score)}${against}`;
}

/** What a degrade gave up, from the chosen model's own shortfalls. */
export function degradeText(chosen: Assessment, lastResort: boolean): string {
  const shortfalls = failureText(chosen);
  if (lastResort) {
    return (
      `nothing usable fits in memory now; fell back to ${chosen.listing.key}, the smallest usable model ` +
      `(${formatBytes(chosen.footprintBytes)}): ${shortfalls}`
    );
  }
  return `no model that fits meets the whole request, so Mai makes do with ${chosen.listing.key}: ${shortfalls}`;
}
