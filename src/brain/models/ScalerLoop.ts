/**
 * The scaler at work: on every sample it asks the pure rules (evaluateScaling) whether to move, and when they say
 * so, asks selectModel where to and switches through the activator. It owns its subscription, its in-flight flag
 * and its quiet time; it never acts while an answer is being written or a model is pinned.
 */
import type { ModelListing, ResourceSample } from '../../shared/contract';
import type { Clock } from '../clock';
import type { ScalingThresholds } from '../config';
import type { ConversationFitter } from '../conversation/ConversationFitter';
import type { CurrentConversation } from '../conversation/CurrentConversation';
import type { Logger } from '../logger';
import type { ResourceMonitor } from '../resources/ResourceMonitor';
import type { GenerationSpeeds } from './GenerationSpeeds';
import type { ModelActivator } from './ModelActivator';
import type { ActiveModel, ModelManager } from './ModelManager';
import type { ReliefSteps } from './ReliefSteps';
import type { StepAside } from './StepAside';
import { defaultScalerOptions, evaluateScaling } from './scaler';
import { selectModel } from './selectModel';

/** The window of samples the rules read: the trend's 60 s and the upgrade's 120 s fit in five minutes. */
const scalingWindowMs = 5 * 60_000;

export interface ScalerLoopDeps {
  monitor: ResourceMonitor;
  manager: ModelManager;
  activator: ModelActivator;
  fitter: ConversationFitter;
  conversation: CurrentConversation;
  speeds: GenerationSpeeds;
  clock: Clock;
  logger: Logger;
  thresholds: () => ScalingThresholds;
  tier: () => { name: string; preferredCategories: readonly ModelListing['category'][] };
  /** The catalog as last listed (the 1 Hz check reads categories from it), and a fresh listing to act on. */
  lastCatalog: () => readonly ModelListing[];
  listCatalog: () => Promise<ModelListing[]>;
  sample: () => Promise<ResourceSample>;
  /** True while an answer is being written. */
  answering: () => boolean;
  /** Which programs are taking the machine, for the reasons (resources/PressureAttribution); none by default. */
  causes?: () => { memory: string | null; cpu: string | null };
  /** How long to wait after finding nothing to switch to; the scaler's cooldown by default. */
  quietMs?: number;
  /** Cheaper steps than a switch, tried first (and given back first); none: every verdict switches. */
  relief?: ReliefSteps;
  /** Stepping aside for a program that takes memory fast, where no step makes room; none: never. */
  aside?: StepAside;
}

export class ScalerLoop {
  private unsubscribe: (() => void) | null = null;
  private inFlight: Promise<void> | null = null;
  /** Wall-clock ms before which the loop does not ask again: set when there was nothing to switch to. */
  private quietUntilMs = -Infinity;

  constructor(private readonly deps: ScalerLoopDeps) {}

  start(): void {
    this.unsubscribe ??= this.deps.monitor.subscribe(() => {
      const { manager } = this.deps;
      if (this.inFlight || this.deps.answering() || manager.mode !== 'auto') return;
      // Standing aside, there may be no model at all, and the way back is watched whatever the quiet time says.
      const standingAside = this.deps.aside?.active === true;
      if (!standingAside && (!manager.current() || this.deps.clock.nowMs() < this.quietUntilMs)) return;
      this.inFlight = this.scaleOnce()
        .catch((error: unknown) => this.deps.logger.warn('scaling failed', { error: String(error) }))
        .finally(() => {
          this.inFlight = null;
        });
    });
  }

  /** Stops listening and waits for a switch in progress to end. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.inFlight;
  }

  private async scaleOnce(): Promise<void> {
    const { manager, clock, aside } = this.deps;
    if (aside?.active) {
      const back = await aside.comeBack(await this.deps.sample(), this.deps.thresholds(), this.deps.listCatalog);
      if (back) return this.fitConversation(back);
    }
    const current = manager.current();
    if (!current || clock.nowMs() < this.quietUntilMs) return;
    const currentEntry = this.deps.lastCatalog().find((m) => m.key === current.key);
    const generation = this.deps.speeds.take(current.key);
    const verdict = evaluateScaling({
      nowMs: clock.nowMs(),
      samples: this.deps.monitor.samplesWithin(scalingWindowMs),
      thresholds: this.deps.thresholds(),
      generating: this.deps.answering(),
      current: currentEntry ? { key: current.key, category: currentEntry.category } : null,
      lastSwitchAtMs: this.deps.activator.lastSwitchAtMs,
      ...(generation ? { generation } : {}),
      ...(this.deps.causes ? { causes: this.deps.causes() } : {}),
    });
    if (verdict.action === 'none' || !verdict.trigger) return;
    // Standing aside, memory looks calm only because Mai left it: no step back and no upgrade until the program it
    // stepped aside for has given its memory back (StepAside.comeBack).
    if (verdict.action === 'up' && aside?.active) return;
    // A smaller window or a coarser cache first, and given back first (ReliefSteps); only what they cannot free switches.
    const relief = currentEntry
      ? await this.deps.relief?.act(verdict, current, currentEntry, await this.deps.sample(), this.deps.thresholds())
      : undefined;
    if (relief?.handled) {
      if (relief.active) await this.fitConversation(relief.active);
      return;
    }
    const lighter = verdict.action === 'down';
    const catalog = await this.deps.listCatalog();
    // A program taking memory fast, and no step made room: the smallest model that fits, or none, until it is done.
    if (aside && (await aside.act(verdict, current, catalog, await this.deps.sample(), relief?.note ?? null))) {
      const now = manager.current();
      if (now) await this.fitConversation(now);
      return;
    }
    // Down: only models that need less memory than the current one; up: any, selection weighs the gain.
    const pool = lighter
      ? catalog.filter((m) => m.key !== current.key && (m.estimate?.ramBytes ?? Infinity) < current.estimateRamBytes)
      : catalog;
    const selection = selectModel({
      catalog: pool,
      sample: await this.deps.sample(),
      tier: this.deps.tier(),
      request: { capabilities: ['chat'], tokensNeeded: 0, complexity: lighter ? 'simple' : 'complex' },
      currentKey: lighter ? null : current.key,
      avoid: manager.avoided(),
      freedByCurrent: { ramBytes: current.estimateRamBytes, vramBytes: current.estimateVramBytes },
    });
    if (!selection.choice || selection.choice.key === current.key) {
      // Nothing better to go to: stay quiet for a cooldown instead of relisting every second. This is not a
      // switch, so the cooldown after the last real one (the rules' lastSwitchAtMs) is left as it is.
      this.quietUntilMs = clock.nowMs() + (this.deps.quietMs ?? defaultScalerOptions.cooldownMs);
      this.deps.logger.info('scaler: no model to switch to', { trigger: verdict.trigger, reason: selection.reason });
      return;
    }
    if (this.deps.answering()) return;
    const active = await this.deps.activator.activate(selection.choice, {
      kind: 'switch',
      trigger: verdict.trigger,
      reason: `${verdict.reason}${relief?.note ? `; ${relief.note}` : ''}; ${selection.reason}`,
      figures: verdict.figures,
    });
    await this.fitConversation(active);
  }

  /** The conversation moves with the model: fit it to its new window now, not only at the next message. */
  private async fitConversation(active: ActiveModel): Promise<void> {
    const conversationId = this.deps.conversation.peek();
    if (conversationId && this.deps.conversation.store.messages(conversationId).length > 0) {
      await this.deps.fitter.fit(active, conversationId);
    }
  }
}
