import type { Engine } from './engine';
import { newInstanceReference, type Instance, type InstanceRegistry, type LoadRecord } from './instances';
import { numberValue, type KvValues } from './kvConfig';
import type { RegisteredModel } from './modelRegistry';
import { fail, pathNotFound } from './wireErrors';

export interface LoadState {
  models: readonly RegisteredModel[];
  instances: InstanceRegistry;
  engine: Engine;
}

export interface InstanceRequest {
  model: RegisteredModel;
  identifier: string;
  /** The collapsed load config; `llm.load.contextLength` is read from it and set to the real n_ctx. */
  loadConfig: KvValues;
  ttlMs: number | null;
  by: LoadRecord['by'];
}

// LM Studio's default for a fresh load when the client names none; capped by what the model was trained for.
const defaultContextLength = 4096;

export function findModel(state: LoadState, key: string): RegisteredModel {
  const model = state.models.find(({ info }) => info.modelKey === key || info.path === key);
  if (!model)
    throw pathNotFound(
      key,
      state.models.map(({ info }) => info.modelKey),
    );
  return model;
}

/**
 * Loads one instance through the engine and registers it: what a load over the wire and a person's load in LM
 * Studio's window have in common. `progress` receives the engine's real fractions.
 */
export async function loadInstance(
  state: LoadState,
  request: InstanceRequest,
  progress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Instance> {
  const config = request.loadConfig;
  const requested = numberValue(config, 'llm.load.contextLength');
  if (requested !== undefined && (!Number.isInteger(requested) || requested <= 0)) {
    throw fail(`Invalid context length ${requested}`, { cause: 'llm.load.contextLength must be a positive integer' });
  }
  const modelKey = request.model.info.modelKey;
  const contextLength = requested ?? Math.min(defaultContextLength, request.model.info.maxContextLength);
  let engineModel;
  try {
    engineModel = await state.engine.load({
      filePath: request.model.filePath,
      contextLength,
      onProgress: progress,
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw fail(`Loading ${modelKey} was cancelled`);
    throw fail(`Failed to load model ${modelKey}`, { cause: String(error) });
  }
  if (signal.aborted) {
    await engineModel.unload();
    throw fail(`Loading ${modelKey} was cancelled`);
  }
  // The echoed load config must carry the real n_ctx, or getContextLength() silently reports 2048 (§5.10).
  config.set('llm.load.contextLength', engineModel.contextLength);
  const instance: Instance = {
    identifier: request.identifier,
    instanceReference: newInstanceReference(),
    model: request.model,
    contextLength: engineModel.contextLength,
    loadConfig: config,
    engineModel,
    ttlMs: request.ttlMs,
  };
  state.instances.add(instance, request.by);
  return instance;
}
