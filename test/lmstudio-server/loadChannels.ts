import { z } from 'zod';
import { channel, type Endpoint, type ServerChannel, type SessionContext } from './endpoints';
import type { Engine } from './engine';
import { instanceInfo, newInstanceReference, type Instance, type InstanceRegistry } from './instances';
import { collapseStack, numberValue } from './kvConfig';
import type { RegisteredModel } from './modelRegistry';
import { cancelPacketSchema, kvConfigStackSchema, type KvConfigStack } from './wireSchemas';
import { fail, pathNotFound } from './wireErrors';

export interface LoadState {
  models: readonly RegisteredModel[];
  instances: InstanceRegistry;
  engine: Engine;
}

// LM Studio's default for a fresh load when the client names none; capped by what the model was trained for.
const defaultContextLength = 4096;

function findModel(state: LoadState, key: string): RegisteredModel {
  const model = state.models.find(({ info }) => info.modelKey === key || info.path === key);
  if (!model)
    throw pathNotFound(
      key,
      state.models.map(({ info }) => info.modelKey),
    );
  return model;
}

/** Loads one instance through the engine, reporting real progress as `progressType` messages. */
async function loadInstance(
  state: LoadState,
  request: { model: RegisteredModel; identifier: string; loadConfigStack: KvConfigStack },
  open: ServerChannel,
  context: SessionContext,
  progressType: 'progress' | 'loadProgress',
): Promise<Instance> {
  const refusal = context.faults.refuseLoad;
  if (refusal) throw fail(refusal.title, { cause: refusal.cause, suggestion: refusal.suggestion });
  const config = collapseStack(request.loadConfigStack);
  const requested = numberValue(config, 'llm.load.contextLength');
  if (requested !== undefined && (!Number.isInteger(requested) || requested <= 0)) {
    throw fail(`Invalid context length ${requested}`, { cause: 'llm.load.contextLength must be a positive integer' });
  }
  const contextLength = requested ?? Math.min(defaultContextLength, request.model.info.maxContextLength);
  const cancel = new AbortController();
  open.onMessage((message) => cancelPacketSchema.safeParse(message).success && cancel.abort());
  const signal = AbortSignal.any([cancel.signal, open.socketClosed]);
  let lastProgress = -1;
  const progress = (fraction: number) => {
    // The SDK passes progress through verbatim: keep it finite, in 0..1 and never going backwards.
    const clamped = Math.min(1, Math.max(0, fraction));
    if (!Number.isFinite(clamped) || clamped <= lastProgress) return;
    lastProgress = clamped;
    open.send({ type: progressType, progress: clamped });
  };
  progress(0);
  let engineModel;
  try {
    engineModel = await state.engine.load({
      filePath: request.model.filePath,
      contextLength,
      onProgress: progress,
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw fail(`Loading ${request.model.info.modelKey} was cancelled`);
    throw fail(`Failed to load model ${request.model.info.modelKey}`, { cause: String(error) });
  }
  if (signal.aborted) {
    await engineModel.unload();
    throw fail(`Loading ${request.model.info.modelKey} was cancelled`);
  }
  progress(1);
  // The echoed load config must carry the real n_ctx, or getContextLength() silently reports 2048 (§5.10).
  config.set('llm.load.contextLength', engineModel.contextLength);
  const instance: Instance = {
    identifier: request.identifier,
    instanceReference: newInstanceReference(),
    model: request.model,
    contextLength: engineModel.contextLength,
    loadConfig: config,
    engineModel,
  };
  state.instances.add(instance);
  return instance;
}

const loadModelParameter = z.object({
  modelKey: z.string(),
  identifier: z.string().optional(),
  ttlMs: z.number().int().min(1).optional(),
  loadConfigStack: kvConfigStackSchema,
});

const getOrLoadParameter = z.object({
  identifier: z.string(),
  loadTtlMs: z.number().int().min(1).optional(),
  loadConfigStack: kvConfigStackSchema,
});

/** `loadModel` (§4.3): resolved → progress* → success, then channelClose. */
export function loadModelEndpoint(state: LoadState): Endpoint {
  return channel(loadModelParameter, async (parameter, open, context) => {
    const model = findModel(state, parameter.modelKey);
    if (parameter.identifier !== undefined && state.instances.byIdentifier(parameter.identifier)) {
      throw fail(`A model with identifier "${parameter.identifier}" is already loaded`);
    }
    const identifier = parameter.identifier ?? state.instances.freeIdentifier(model.info.modelKey);
    open.send({ type: 'resolved', info: model.info });
    const instance = await loadInstance(
      state,
      { model, identifier, loadConfigStack: parameter.loadConfigStack },
      open,
      context,
      'progress',
    );
    open.finish({ type: 'success', info: instanceInfo(instance) });
  });
}

/** `getOrLoad` (§4.3): alreadyLoaded, or startLoading → loadProgress* → loadSuccess. */
export function getOrLoadEndpoint(state: LoadState): Endpoint {
  return channel(getOrLoadParameter, async (parameter, open, context) => {
    const loaded =
      state.instances.byIdentifier(parameter.identifier) ?? state.instances.matching({ path: parameter.identifier })[0];
    if (loaded) return open.finish({ type: 'alreadyLoaded', info: instanceInfo(loaded) });
    const model = findModel(state, parameter.identifier);
    const identifier = state.instances.freeIdentifier(model.info.modelKey);
    open.send({ type: 'startLoading', identifier, info: model.info });
    const instance = await loadInstance(
      state,
      { model, identifier, loadConfigStack: parameter.loadConfigStack },
      open,
      context,
      'loadProgress',
    );
    open.finish({ type: 'loadSuccess', info: instanceInfo(instance) });
  });
}
