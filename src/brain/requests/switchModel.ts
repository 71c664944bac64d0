import type { ModelListing, ModelState } from '../../shared/contract';
import type { DecisionLog } from '../models/DecisionLog';
import type { ModelManager } from '../models/ModelManager';
import { RequestError } from './RequestError';

export interface SwitchDeps {
  manager: ModelManager;
  decisions: DecisionLog;
  listCatalog: () => Promise<ModelListing[]>;
  modelState: () => ModelState;
}

/**
 * A person's choice: pin a model by key (it answers from the next message on), or "auto" to let Mai choose again.
 * Recorded like every other decision, so the dashboard, the tray and the conversation file all show it.
 */
export async function switchModel(deps: SwitchDeps, key: string): Promise<ModelState> {
  const before = deps.manager.current()?.key ?? null;
  if (key === 'auto') {
    deps.manager.automatic();
    deps.decisions.record({
      kind: 'automatic',
      from: before,
      to: before,
      trigger: 'manual',
      reason: 'automatic choice: Mai picks the model for each message and the machine',
      figures: {},
    });
    return deps.modelState();
  }
  const models = await deps.listCatalog();
  const entry = models.find((m) => m.key === key);
  if (!entry) {
    throw new RequestError(
      'bad_request',
      `no model "${key}"; known: ${models.map((m) => m.key).join(', ') || 'none (run mai models)'}`,
    );
  }
  if (!entry.usable) throw new RequestError('bad_request', `${key} cannot be used: ${entry.reason}`);
  deps.manager.pin(key);
  deps.decisions.record({
    kind: 'pin',
    from: before,
    to: key,
    trigger: 'manual',
    reason: `pinned to ${key} by request${entry.fits ? '' : ` although it may not fit (${entry.reason})`}`,
    figures: {},
  });
  return deps.modelState();
}
