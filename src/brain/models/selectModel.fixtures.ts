/** Builders for selectModel's tests: catalog entries and inputs with readable defaults. */
import type { ModelListing } from '../../shared/contract';
import { sampleWith } from '../resources/testSamples';
import type { SelectionInputs } from './selectModel';

export const gib = 1024 ** 3;

export interface ListingFigures extends Partial<Omit<ModelListing, 'estimate'>> {
  ramGib?: number;
  vramGib?: number;
  /** null: no estimate (as for an unusable model). */
  estimate?: null;
}

/** A usable small chat model needing 1 GiB RAM, 8k window, unless told otherwise. */
export function listing(key: string, figures: ListingFigures = {}): ModelListing {
  const { ramGib = 1, vramGib = 0, ...rest } = figures;
  return {
    key,
    displayName: key,
    backend: 'embedded',
    category: 'small',
    sizeBytes: ramGib * gib,
    contextWindow: 8192,
    capabilities: ['chat'],
    estimate: { ramBytes: ramGib * gib, vramBytes: vramGib * gib, contextLength: 4096, method: 'formula' },
    fits: true,
    reason: '',
    loaded: false,
    usable: true,
    ...rest,
  };
}

/**
 * Inputs on a 16 GiB machine at 50 % used: 8 GiB available, 2.4 GiB kept as margin (15 %), so 5.6 GiB free for a
 * model. Tier mid_range (medium, then small); a moderate request for 1,000 tokens.
 */
export function inputs(overrides: Partial<SelectionInputs> = {}): SelectionInputs {
  return {
    catalog: [],
    sample: sampleWith(),
    tier: { name: 'mid_range', preferredCategories: ['medium', 'small'] },
    request: { capabilities: [], tokensNeeded: 1000, complexity: 'moderate' },
    currentKey: null,
    avoid: new Map(),
    freedByCurrent: { ramBytes: 0, vramBytes: 0 },
    ...overrides,
  };
}

export function rejectionOf(result: { rejected: { key: string; reason: string }[] }, key: string): string | undefined {
  return result.rejected.find((r) => r.key === key)?.reason;
}
