/**
 * Stepping aside for a neighbour (issue 19): when another program takes memory fast and no relief step on the model
 * in use can make room, Mai moves to the smallest model that fits, or unloads, and comes back once that program has
 * given its memory back. Pure: which neighbour counts, which model is the smallest that fits, whether the
 * neighbour has receded. StepAside.ts acts on it.
 */
import type { ModelListing, ResourceSample } from '../../shared/contract';
import type { Neighbour } from '../resources/PressureAttribution';
import { defaultFitMargins } from './fit';
import { assess } from './selectModelFilter';
import { memoryBudget } from './selectModelMemory';

/**
 * Fast: 16 MiB/s or more on average since it began to grow, about a GiB a minute. A game, a 3D scene or a batch of
 * images loading takes gigabytes within a minute; a browser's or an editor's creep is a few MiB/s at most, and the
 * usual switch down (with its upgrade once memory clears) answers that.
 */
export const fastGrowthBytesPerSecond = 16 * 2 ** 20;

/** The first neighbour (largest growth first) that grew fast, or null when none did. */
export function fastNeighbour(neighbours: readonly Neighbour[], nowMs: number): Neighbour | null {
  return (
    neighbours.find((n) => n.grewBytes / Math.max(1, (nowMs - n.sinceMs) / 1000) >= fastGrowthBytesPerSecond) ?? null
  );
}

/**
 * Receded: its processes hold at most what they held when Mai stepped aside, less half of what the program had
 * grown by (all of it once they have exited). Half: a program that closed its scene or its level gives most of it
 * back at once; one that only paused keeps it, and coming back then would push it into swap.
 */
export function hasReceded(atAside: Pick<Neighbour, 'residentBytes' | 'grewBytes'>, residentBytesNow: number): boolean {
  return residentBytesNow <= atAside.residentBytes - atAside.grewBytes / 2;
}

export interface SmallestInputs {
  catalog: readonly ModelListing[];
  sample: ResourceSample;
  current: { key: string; estimateRamBytes: number; estimateVramBytes: number };
  /** Models in a failure's backoff. */
  avoid: ReadonlyMap<string, string>;
}

/**
 * The smallest chat model on this machine, lighter than the current one, that fits with the current one unloaded
 * (selection's own margins and memory check); null where none does, and Mai unloads instead. A model on another
 * host is left out: stepping aside is about this machine's memory, and hosts are selection's business.
 */
export function smallestThatFits(inputs: SmallestInputs): ModelListing | null {
  const { current } = inputs;
  const budget = memoryBudget(
    {
      sample: inputs.sample,
      margins: defaultFitMargins,
      currentKey: current.key,
      freedByCurrent: { ramBytes: current.estimateRamBytes, vramBytes: current.estimateVramBytes },
    },
    undefined,
  );
  const context = { capabilities: ['chat' as const], tokensNeeded: 0, avoid: inputs.avoid, budget };
  const currentBytes = current.estimateRamBytes + current.estimateVramBytes;
  const candidates = inputs.catalog
    .filter((listing) => listing.key !== current.key && !listing.host)
    .map((listing) => assess(listing, context))
    .filter((a) => a.failures.length === 0 && a.footprintBytes < currentBytes)
    .sort((a, b) => a.footprintBytes - b.footprintBytes || (a.listing.key < b.listing.key ? -1 : 1));
  return candidates[0]?.listing ?? null;
}
