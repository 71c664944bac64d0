import type { LoadedModel } from '../ModelBackend';

/** What Mai knows of an LM Studio instance it answers with: enough to load it again if it is ejected. */
export interface KnownInstance {
  key: string;
  contextLength: number;
  /** Mai loaded it (so Mai unloads it); false for one the person loaded in LM Studio, which Mai only uses. */
  owned: boolean;
}

/** The instances this backend hands out, by identifier. */
export class InstanceBook {
  private readonly known = new Map<string, KnownInstance>();

  record(loaded: LoadedModel, owned: boolean): void {
    this.known.set(loaded.identifier, { key: loaded.key, contextLength: loaded.contextLength, owned });
  }

  get(identifier: string): KnownInstance | undefined {
    return this.known.get(identifier);
  }

  isOwned(identifier: string): boolean {
    return this.known.get(identifier)?.owned === true;
  }

  /** What close() unloads: exactly what Mai loaded, never a model the person loaded. */
  owned(): string[] {
    return [...this.known].flatMap(([identifier, known]) => (known.owned ? [identifier] : []));
  }

  forget(identifier: string): void {
    this.known.delete(identifier);
  }
}

export type LoadChoice = { reuse: LoadedModel; note: string } | { reuse: null; note: string | null };

/**
 * Whether a load of `key` can be served by an instance LM Studio already has: the one with the least context that
 * still has `contextLength` (any, when none is asked for), so no second copy doubles the memory. When instances
 * exist but all are too small, the note says why another one is loaded. Pure.
 */
export function chooseLoaded(loaded: readonly LoadedModel[], key: string, contextLength?: number): LoadChoice {
  const same = loaded.filter((instance) => instance.key === key);
  const enough = same
    .filter((instance) => contextLength === undefined || instance.contextLength >= contextLength)
    .sort((a, b) => a.contextLength - b.contextLength);
  const reuse = enough[0];
  if (reuse) {
    const wanted = contextLength === undefined ? '' : ` (Mai needs ${contextLength})`;
    return {
      reuse,
      note: `${key} is already loaded in LM Studio as ${reuse.identifier} with ${reuse.contextLength} tokens of context${wanted}: reused, no second copy`,
    };
  }
  if (same.length === 0) return { reuse: null, note: null };
  const found = same.map((instance) => `${instance.identifier} with ${instance.contextLength}`).join(', ');
  return {
    reuse: null,
    note: `${key} is already loaded in LM Studio (${found} tokens of context), less than the ${contextLength} tokens Mai needs: loaded another instance`,
  };
}
