import type { Decision, DecisionKind, DecisionTrigger, ModelListing } from '../../shared/contract';
import type { Clock } from '../clock';
import { defaultWorkingContextTokens } from './catalog';
import type { DecisionLog } from './DecisionLog';
import type { ActiveModel, ModelManager } from './ModelManager';
import { formatBytes } from '../../shared/format';

/** A decision about a model whose memory figure was measured says so: "…; measured 2.1 GiB at its last load". */
function withMeasuredNote(reason: string, entry: ModelListing): string {
  if (entry.estimate?.source !== 'measured') return reason;
  return `${reason}; measured ${formatBytes(entry.estimate.ramBytes)} at its last load`;
}

export interface Activation {
  kind: DecisionKind;
  trigger: DecisionTrigger;
  reason: string;
  figures?: Record<string, number>;
  /** The window to load with; the catalog's working context by default. */
  contextLength?: number;
}

/**
 * Makes a catalog entry the active model and records the change as one decision. Both the answer pipeline and the
 * scaler switch through here, so the time of the last real switch (the scaler's cooldown) has one source.
 */
export class ModelActivator {
  private lastSwitchAt: number | null = null;

  constructor(private readonly deps: { manager: ModelManager; decisions: DecisionLog; clock: Clock }) {}

  /** Wall-clock ms of the last load that changed the model, like the samples' atMs the scaler compares it with. */
  get lastSwitchAtMs(): number | null {
    return this.lastSwitchAt;
  }

  /** Loads `entry` unless it is already active; a change is recorded and pushed onto `switches`. */
  async activate(entry: ModelListing, activation: Activation, switches: Decision[] = []): Promise<ActiveModel> {
    const before = this.deps.manager.current();
    const contextLength = activation.contextLength ?? entry.estimate?.contextLength ?? defaultWorkingContextTokens;
    const active = await this.deps.manager.ensure(entry, contextLength);
    if (before?.key !== active.key) {
      this.lastSwitchAt = this.deps.clock.nowMs();
      switches.push(
        this.deps.decisions.record({
          kind: activation.kind,
          from: before?.key ?? null,
          to: active.key,
          trigger: activation.trigger,
          reason: withMeasuredNote(activation.reason, entry),
          figures: { ...activation.figures, loadMs: active.loadMs },
        }),
      );
    }
    return active;
  }
}
