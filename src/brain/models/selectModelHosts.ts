/**
 * Where a model runs, in selection: this machine when a model fits here (no network between the person and the
 * answer, and the host stays free for whoever uses it), a host otherwise; and the words that say so.
 */
import type { ResourceSample } from '../../shared/contract';
import type { Assessment } from './selectModelFilter';

/** The candidates on this machine when there are any; those on hosts only when none here qualifies. */
export function preferThisMachine(ranked: Assessment[]): Assessment[] {
  const here = ranked.filter((a) => a.listing.host === undefined);
  return here.length > 0 ? here : ranked;
}

/** For a host's candidate passed over because one here qualified. */
export function deferredText(candidate: Assessment, chosen: Assessment): string | null {
  const host = candidate.listing.host;
  if (!host || chosen.listing.host) return null;
  return `runs on ${host.name}; this machine is preferred while a model fits here (${chosen.listing.key} does)`;
}

const usedPercent = (sample: ResourceSample) => `RAM ${Math.round(sample.memory.usedPercent)} % here`;

/**
 * "moved to studio-pc: RAM 91 % here" when the choice runs on a host, "back on this machine: RAM 40 % here" when
 * the model it replaces ran on one; null when neither (the choice and what it replaces both run here).
 */
export function placementText(
  chosen: Assessment,
  all: readonly Assessment[],
  sample: ResourceSample,
  currentKey: string | null,
): string | null {
  const host = chosen.listing.host;
  const current = all.find((a) => a.listing.key === currentKey);
  if (!host) return current?.listing.host ? `back on this machine: ${usedPercent(sample)}` : null;
  const here = all.filter((a) => a.listing.host === undefined && a.failures.every((f) => f.kind !== 'unusable'));
  if (here.length === 0) return `on ${host.name}: no model on this machine can answer`;
  const short = here.some((a) => a.failures.some((f) => f.kind === 'memory'));
  if (current?.listing.host?.name === host.name) return `on ${host.name}${short ? `: ${usedPercent(sample)}` : ''}`;
  return short ? `moved to ${host.name}: ${usedPercent(sample)}` : `on ${host.name}: no model here meets the request`;
}
