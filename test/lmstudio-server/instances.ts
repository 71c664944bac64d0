import { randomBytes } from 'node:crypto';
import type { EngineModel } from './engine';
import type { KvValues } from './kvConfig';
import type { RegisteredModel, WireModelInfo } from './modelRegistry';
import type { ModelQuery, ModelSpecifier } from './wireSchemas';
import { noModelMatchingQuery, specificModelUnloaded } from './wireErrors';

export interface Instance {
  identifier: string;
  /** Opaque and unique per load; LM Studio uses 24 random characters. */
  instanceReference: string;
  model: RegisteredModel;
  contextLength: number;
  /** The effective load config, echoed by getLoadConfig and predict's success (must hold llm.load.contextLength). */
  loadConfig: KvValues;
  engineModel: EngineModel;
  /** Idle time to live the client asked for (`ttlMs` / `loadTtlMs`); null: stays until unloaded. */
  ttlMs: number | null;
}

/** One load, for assertions: "no second instance" is counted here. */
export interface LoadRecord {
  modelKey: string;
  identifier: string;
  ttlMs: number | null;
  /** 'client': through the wire (Mai); 'person': someone using LM Studio's own window (RunningServer.loadAsPerson). */
  by: 'client' | 'person';
}

/** `LLMInstanceInfo` (§5.2): the model's info plus identifier, instanceReference and the real context length. */
export function instanceInfo(instance: Instance): WireModelInfo & {
  identifier: string;
  instanceReference: string;
  contextLength: number;
} {
  return {
    ...instance.model.info,
    identifier: instance.identifier,
    instanceReference: instance.instanceReference,
    contextLength: instance.contextLength,
  };
}

export const newInstanceReference = (): string => randomBytes(18).toString('base64').replace(/[+/]/g, 'x');

/** The loaded models of one server, and how specifiers and queries find them (§5.3). */
export class InstanceRegistry {
  private readonly instances: Instance[] = [];
  private readonly idleTimers = new Map<Instance, NodeJS.Timeout>();
  /** Every load ever made on this server, in order. */
  readonly loads: LoadRecord[] = [];
  /** How many times each instance was used (predict, tokenize...): what re-arms its TTL. */
  readonly uses = new Map<string, number>();

  /** Called when an instance's TTL runs out, after it is removed: the server unloads it from the engine. */
  constructor(private readonly onIdleExpiry: (instance: Instance) => void = () => {}) {}

  all(): readonly Instance[] {
    return this.instances;
  }

  identifiers(): string[] {
    return this.instances.map((instance) => instance.identifier);
  }

  add(instance: Instance, by: LoadRecord['by'] = 'client'): void {
    this.instances.push(instance);
    const { identifier, ttlMs } = instance;
    this.loads.push({ modelKey: instance.model.info.modelKey, identifier, ttlMs, by });
    this.touch(instance);
  }

  remove(instance: Instance): void {
    const index = this.instances.indexOf(instance);
    if (index !== -1) this.instances.splice(index, 1);
    clearTimeout(this.idleTimers.get(instance));
    this.idleTimers.delete(instance);
  }

  /** A use of the instance: LM Studio re-arms the idle TTL on every use ("if the model is used, the timer resets"). */
  touch(instance: Instance): void {
    this.uses.set(instance.identifier, (this.uses.get(instance.identifier) ?? 0) + 1);
    if (instance.ttlMs === null) return;
    clearTimeout(this.idleTimers.get(instance));
    const timer = setTimeout(() => {
      this.remove(instance);
      this.onIdleExpiry(instance);
    }, instance.ttlMs);
    // A TTL must not keep a test process alive after the server is closed.
    timer.unref();
    this.idleTimers.set(instance, timer);
  }

  /** The default identifier is the model key; a second instance gets `<key>:2` (as `lms` expects). */
  freeIdentifier(modelKey: string): string {
    const taken = new Set(this.identifiers());
    if (!taken.has(modelKey)) return modelKey;
    let n = 2;
    while (taken.has(`${modelKey}:${n}`)) n += 1;
    return `${modelKey}:${n}`;
  }

  byIdentifier(identifier: string): Instance | undefined {
    return this.instances.find((instance) => instance.identifier === identifier);
  }

  matching(query: ModelQuery): Instance[] {
    return this.instances.filter(
      (instance) =>
        (query.domain === undefined || query.domain === 'llm') &&
        (query.identifier === undefined || instance.identifier === query.identifier) &&
        (query.path === undefined ||
          instance.model.info.path === query.path ||
          instance.model.info.modelKey === query.path) &&
        (query.vision === undefined || instance.model.info.vision === query.vision),
    );
  }

  /** The instance a specifier names, or undefined; with `throwIfNotFound`, the error LM Studio gives instead. */
  resolve(specifier: ModelSpecifier, throwIfNotFound: true): Instance;
  resolve(specifier: ModelSpecifier, throwIfNotFound: boolean): Instance | undefined;
  resolve(specifier: ModelSpecifier, throwIfNotFound: boolean): Instance | undefined {
    const found =
      specifier.type === 'instanceReference'
        ? this.instances.find((instance) => instance.instanceReference === specifier.instanceReference)
        : this.matching(specifier.query)[0];
    if (found !== undefined || !throwIfNotFound) return found;
    throw specifier.type === 'instanceReference'
      ? specificModelUnloaded()
      : noModelMatchingQuery(specifier.query, this.identifiers());
  }
}
