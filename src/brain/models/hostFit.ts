/**
 * Whether a model fits the host it runs on (pure). A host's memory is never this machine's: its models cost nothing
 * here (their estimate here is zero, so nothing counts them against local memory, or as freed when Mai leaves them),
 * and fit is judged by what the host has: what hosts.yaml says it gives models, less what its engine reports its
 * loaded models use. A host that says nothing of its memory is left to decide itself: a load it cannot take fails,
 * and Mai falls back.
 */
import type { ModelListing } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import type { MemoryEstimate } from '../backends/estimate';
import type { ModelHost } from '../backends/ModelBackend';

export interface HostFitInputs {
  host: ModelHost;
  estimate: MemoryEstimate;
  contextLength: number;
  /** A loaded instance there already has room for the working context: nothing more is needed. */
  reusable: boolean;
  /** What its loaded instance really takes, where the engine reports it (Ollama's /api/ps). */
  loadedBytes: number | null;
  /** The model's file size; 0 where the engine does not say (an OpenAI-compatible server). */
  sizeBytes: number;
}

type HostFields = Pick<ModelListing, 'estimate' | 'fits' | 'reason' | 'host'>;

export function hostFit(inputs: HostFitInputs): HostFields {
  const { host, estimate } = inputs;
  const knownSize = inputs.sizeBytes > 0 || estimate.method !== 'size';
  const needsBytes = inputs.loadedBytes ?? (knownSize ? estimate.ramBytes + estimate.vramBytes : null);
  const freeBytes = host.capacityBytes === null ? null : host.capacityBytes - (host.usedBytes ?? 0);
  const fields = {
    estimate: { ramBytes: 0, vramBytes: 0, contextLength: inputs.contextLength, method: estimate.method },
    host: { name: host.name, needsBytes, freeBytes },
  };
  if (inputs.reusable) return { ...fields, fits: true, reason: `loaded on ${host.name}` };
  if (freeBytes === null) {
    return {
      ...fields,
      fits: true,
      reason: `runs on ${host.name}, which does not say how much memory it has: its engine decides`,
    };
  }
  const capacity = formatBytes(host.capacityBytes ?? 0);
  const room = `${formatBytes(Math.max(0, freeBytes))} of its ${capacity} free for models`;
  if (needsBytes === null)
    return { ...fields, fits: true, reason: `runs on ${host.name} (${room}); its size is unknown` };
  const needs = `needs ${formatBytes(needsBytes)} there`;
  return needsBytes <= freeBytes
    ? { ...fields, fits: true, reason: `runs on ${host.name}: ${needs}, ${room}` }
    : { ...fields, fits: false, reason: `does not fit on ${host.name}: ${needs}, ${room}` };
}
