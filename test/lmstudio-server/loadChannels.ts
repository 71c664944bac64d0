import { z } from 'zod';
import { channel, type Endpoint, type ServerChannel, type SessionContext } from './endpoints';
import { instanceInfo, type Instance } from './instances';
import { findModel, loadInstance, type LoadState } from './instanceLoader';
import { collapseStack } from './kvConfig';
import type { RegisteredModel } from './modelRegistry';
import { cancelPacketSchema, kvConfigStackSchema, type KvConfigStack } from './wireSchemas';
import { fail } from './wireErrors';

export type { LoadState } from './instanceLoader';

/** Loads one instance for a client, reporting real progress as `progressType` messages; cancellable. */
async function loadForClient(
  state: LoadState,
  request: { model: RegisteredModel; identifier: string; loadConfigStack: KvConfigStack; ttlMs: number | null },
  open: ServerChannel,
  context: SessionContext,
  progressType: 'progress' | 'loadProgress',
): Promise<Instance> {
  const refusal = context.faults.refuseLoad;
  if (refusal) throw fail(refusal.title, { cause: refusal.cause, suggestion: refusal.suggestion });
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
  const { model, identifier, ttlMs } = request;
  const loadConfig = collapseStack(request.loadConfigStack);
  const instance = await loadInstance(state, { model, identifier, loadConfig, ttlMs, by: 'client' }, progress, signal);
  progress(1);
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
    const { loadConfigStack } = parameter;
    const ttlMs = parameter.ttlMs ?? null;
    const instance = await loadForClient(
      state,
      { model, identifier, loadConfigStack, ttlMs },
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
    const { loadConfigStack } = parameter;
    const ttlMs = parameter.loadTtlMs ?? null;
    const request = { model, identifier, loadConfigStack, ttlMs };
    const instance = await loadForClient(state, request, open, context, 'loadProgress');
    open.finish({ type: 'loadSuccess', info: instanceInfo(instance) });
  });
}
