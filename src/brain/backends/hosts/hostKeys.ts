/**
 * How a model on a host is named in Mai: `<host>/<its key on the host>`. The same model on two hosts (or on a host
 * and here) stays two catalog entries, and everything the brain keys by model (pins, backoff, decisions, the loaded
 * model) tells them apart without knowing hosts exist. Host names cannot hold '/', so the first '/' splits.
 */
import type { LoadedModel, ModelHost, ModelInfo } from '../ModelBackend';

export interface HostPlacement {
  name: string;
  /** Shown in status; validated in hosts.yaml to carry no credentials. */
  url: string;
  /** hosts.yaml `memory_gb` in bytes; null where the person did not say. */
  capacityBytes: number | null;
}

export const hostedKey = (host: string, key: string): string => `${host}/${key}`;

/** The key or identifier on the host, when `name` is one of this host's; null otherwise. */
export function onHost(host: string, name: string): string | null {
  return name.startsWith(`${host}/`) ? name.slice(host.length + 1) : null;
}

/**
 * What a host's loaded models use, where its engine reports their memory (Ollama does: then nothing loaded is
 * nothing used); null where it does not say.
 */
export function usedBytesOf(loaded: readonly LoadedModel[], reportsLoadedMemory = false): number | null {
  const reported = loaded.filter((m) => m.memory !== undefined);
  if (reported.length === 0 && !reportsLoadedMemory) return null;
  return reported.reduce((sum, m) => sum + (m.memory?.totalBytes ?? 0), 0);
}

/** A host's model as the catalog sees it: its key prefixed, and its memory the host's. */
export function hostedModel(model: ModelInfo, host: HostPlacement, usedBytes: number | null): ModelInfo {
  const placement: ModelHost = { name: host.name, capacityBytes: host.capacityBytes, usedBytes };
  return { ...model, key: hostedKey(host.name, model.key), host: placement };
}

export function hostedLoaded(model: LoadedModel, host: HostPlacement): LoadedModel {
  return { ...model, key: hostedKey(host.name, model.key), identifier: hostedKey(host.name, model.identifier) };
}
