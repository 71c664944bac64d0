import type { Decision, DecisionKind, DecisionTrigger, ModelListing } from '../../shared/contract';
import type { ContextOptions } from '../backends/ModelBackend';
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

/** A change to the active model itself (a relief step, or giving one back): what changes, and the decision's words. */
export interface Adjustment {
  options: ContextOptions;
  /** What the model takes afterwards, by the estimate. */
  estimate: { ramBytes: number; vramBytes: number };
  trigger: DecisionTrigger;
  reason: string;
  figures: Record<string, number>;
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

  /** Unloads the active model and records why, as one decision with no model after it; null where none was loaded. */
  async release(activation: Omit<Activation, 'contextLength'>): Promise<Decision | null> {
    const released = await this.deps.manager.release();
    if (!released) return null;
    this.lastSwitchAt = this.deps.clock.nowMs();
    return this.deps.decisions.record({
      kind: activation.kind,
      from: released.key,
      to: null,
      trigger: activation.trigger,
      reason: activation.reason,
      figures: { ...activation.figures },
    });
  }

  /**
   * Gives the active model another window or KV cache type and records it as a 'step' decision. It counts as a
   * switch for the scaler's cooldown: memory moves while it happens, and reading pressure then measures the step.
   */
  async adjust(entry: ModelListing, adjustment: Adjustment): Promise<ActiveModel> {
    // The embedded engine runs in Mai's own process: what a step frees there shows in Mai's resident memory.
    const rssBeforeBytes = process.memoryUsage.rss();
    const startedMs = this.deps.clock.monotonicMs();
    const active = await this.deps.manager.reconfigure(entry, adjustment.options, adjustment.estimate);
    const stepMs = this.deps.clock.monotonicMs() - startedMs;
    const measured: Record<string, number> =
      active.backend === 'embedded' ? { measuredSavingBytes: rssBeforeBytes - process.memoryUsage.rss() } : {};
    this.lastSwitchAt = this.deps.clock.nowMs();
    this.deps.decisions.record({
      kind: 'step',
      from: entry.key,
      to: entry.key,
      trigger: adjustment.trigger,
      reason: adjustment.reason,
      figures: { ...adjustment.figures, ...measured, stepMs, contextLength: active.contextLength },
    });
    return active;
  }
}
