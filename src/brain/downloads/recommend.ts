import type { ResourceSample } from '../../shared/contract';
import { estimateFromListing, type MemoryEstimate } from '../backends/estimate';
import { categoryRank, hasDownload, type ModelCategory, type ModelEntry } from '../config';
import { defaultWorkingContextTokens } from '../models/catalog';
import { fitsNow, type FitMargins } from '../models/fit';

export interface Recommendation {
  key: string;
  displayName: string;
  category: ModelCategory;
  uri: string;
  sizeBytes: number;
  /** What it would need at Mai's working context, where it would run (GPU when one holds it, else CPU). */
  estimate: { ramBytes: number; vramBytes: number; contextLength: number };
  fits: boolean;
  /** Its category is one this machine's tier prefers. */
  preferred: boolean;
  /** For a person: why it is where it is in the list. */
  reason: string;
}

export interface RecommendInputs {
  /** models.yaml entries; only those with a `download:` are candidates. */
  models: readonly ModelEntry[];
  /** Keys already in the catalog: nothing to fetch for them. */
  presentKeys: ReadonlySet<string>;
  sample: ResourceSample;
  /** The tier's name and preferred categories, most preferred first; null while the tier is unknown. */
  tier: { name: string; preferredCategories: readonly ModelCategory[] } | null;
  margins?: FitMargins;
}

const fullOffloadLayers = 999;

/**
 * The cost of a model known only by its listing: the larger of the curated models.yaml figure (weights + KV at 4k +
 * compute, per the file's own note) and the size-based formula Mai uses for LM Studio listings. On a GPU machine the
 * GPU placement is tried first (what the engines do), the CPU if the GPU cannot hold it. Pure.
 */
function placements(entry: ModelEntry, sizeBytes: number, contextLength: number, hasGpu: boolean): MemoryEstimate[] {
  const request = { contextLength, gpuLayers: 0 };
  const cpu = estimateFromListing(sizeBytes, null, request);
  const onCpu = { ...cpu, ramBytes: Math.max(cpu.ramBytes, entry.minMemoryBytes), vramBytes: 0 };
  if (!hasGpu) return [onCpu];
  const gpu = estimateFromListing(sizeBytes, null, { ...request, gpuLayers: fullOffloadLayers });
  return [{ ...gpu, vramBytes: Math.max(gpu.vramBytes, entry.minVramBytes) }, onCpu];
}

/**
 * Downloadable models for this machine, best first: those that fit now before those that do not; among the ones
 * that fit, the tier's preferred categories in its order (a high_end machine gets a large model first, a low_end
 * one a small), the larger file first within them (more capable), then the categories the tier does not prefer,
 * lighter first (nearest to what it prefers); among the ones that do not fit, the smallest first (the nearest to
 * fitting). Pure.
 */
export function recommendDownloads(inputs: RecommendInputs): Recommendation[] {
  const preferredOrder = inputs.tier?.preferredCategories ?? [];
  const hasGpu = inputs.sample.gpus.length > 0;
  const candidates = inputs.models.filter(hasDownload).filter((m) => !inputs.presentKeys.has(m.key));
  const rows = candidates.map((entry) => {
    const { download } = entry;
    const contextLength = Math.min(entry.contextWindowTokens, defaultWorkingContextTokens);
    const options = placements(entry, download.sizeBytes, contextLength, hasGpu);
    const verdicts = options.map((estimate) => ({
      estimate,
      verdict: fitsNow(estimate, inputs.sample, undefined, inputs.margins),
    }));
    const chosen = verdicts.find((v) => v.verdict.fits) ?? verdicts[verdicts.length - 1];
    const { estimate, verdict } = chosen as (typeof verdicts)[number];
    const preferenceIndex = preferredOrder.indexOf(entry.category);
    const preferred = preferenceIndex !== -1;
    const tierNote = inputs.tier
      ? preferred
        ? `a ${entry.category} model, as a ${inputs.tier.name} machine prefers`
        : `a ${entry.category} model, outside what a ${inputs.tier.name} machine prefers (${preferredOrder.join(', ')})`
      : `a ${entry.category} model`;
    const recommendation: Recommendation = {
      key: entry.key,
      displayName: entry.displayName,
      category: entry.category,
      uri: download.uri,
      sizeBytes: download.sizeBytes,
      estimate: { ramBytes: estimate.ramBytes, vramBytes: estimate.vramBytes, contextLength },
      fits: verdict.fits,
      preferred,
      reason: `${verdict.fits ? 'fits' : 'does not fit'}: ${verdict.reason}; ${tierNote}`,
    };
    return { recommendation, preferenceIndex: preferred ? preferenceIndex : preferredOrder.length };
  });
  rows.sort((a, b) => {
    const ra = a.recommendation;
    const rb = b.recommendation;
    if (ra.fits !== rb.fits) return ra.fits ? -1 : 1;
    if (!ra.fits) return ra.sizeBytes - rb.sizeBytes;
    if (a.preferenceIndex !== b.preferenceIndex) return a.preferenceIndex - b.preferenceIndex;
    if (preferredOrder.length > 0 && !ra.preferred) return ra.sizeBytes - rb.sizeBytes;
    // Without a tier, a larger category first among those that fit; then the larger file.
    const byCategory = categoryRank(rb.category) - categoryRank(ra.category);
    if (preferredOrder.length === 0 && byCategory !== 0) return byCategory;
    return rb.sizeBytes - ra.sizeBytes;
  });
  return rows.map((row) => row.recommendation);
}
