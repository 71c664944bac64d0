/**
 * The relief ladder at work (relief.ts decides): under sustained memory pressure the scaler asks here first, and the
 * model in use takes the cheapest step that frees enough (a smaller window, a quantized KV cache); when pressure
 * has cleared, the steps are given back, last first, before any upgrade. It remembers the steps taken on the loaded
 * model; a switch (or a reload) starts the ladder afresh.
 */
import { isAbsolute } from 'node:path';
import type { ModelListing, ResourceSample } from '../../shared/contract';
import type { ShapeHints } from '../backends/estimateFormula';
import { profileFromFileInfo } from '../backends/gguf/ggufProfile';
import { loadNodeLlamaCpp } from '../backends/lazyModules';
import type { ModelBackend, ModelInfo } from '../backends/ModelBackend';
import type { ScalingThresholds } from '../config';
import type { CurrentConversation } from '../conversation/CurrentConversation';
import type { Logger } from '../logger';
import type { ModelActivator } from './ModelActivator';
import type { ActiveModel } from './ModelManager';
import {
  chooseRelief,
  footprint,
  reliefOptions,
  type ModelSettings,
  type ReliefModel,
  type ReliefOption,
} from './relief';
import { switchCostSeconds } from './reliefCosts';
import { memoryNeed, percentWith, undoFits } from './reliefNeed';
import { verdictCause, type ScalingDecision } from './scaler';

export interface ReliefStepsDeps {
  activator: ModelActivator;
  backends: readonly ModelBackend[];
  conversation: CurrentConversation;
  logger: Logger;
}

/** What the ladder did: `handled` means the scaler stops here; `note` goes into a switch's reason. */
export interface ReliefOutcome {
  handled: boolean;
  note: string | null;
  active?: ActiveModel;
}

interface Rung {
  option: ReliefOption;
  before: ModelSettings;
}

interface Ladder {
  identifier: string;
  rungs: Rung[];
  /** Steps the engine refused on this model (a quantized cache without flash attention): not offered again. */
  failed: Set<ReliefOption['step']>;
}

const notHandled: ReliefOutcome = { handled: false, note: null };

/** Head widths and feed-forward size from the file, where it can be read (LM Studio's keys are not paths). */
async function shapeHints(info: ModelInfo): Promise<ShapeHints | undefined> {
  if (!info.path || !isAbsolute(info.path)) return undefined;
  try {
    const { readGgufFileInfo } = await loadNodeLlamaCpp();
    const mapped = profileFromFileInfo(await readGgufFileInfo(info.path, { logWarnings: false }));
    if (!mapped.ok) return undefined;
    const { headDimK, headDimV, feedForwardLength } = mapped.details;
    return { headDimK, headDimV, ...(feedForwardLength === null ? {} : { feedForwardLength }) };
  } catch {
    return undefined;
  }
}

export class ReliefSteps {
  private ladder: Ladder | null = null;

  constructor(private readonly deps: ReliefStepsDeps) {}

  /** A verdict from the scaler's rules: a step down under sustained memory pressure, a step back up when it clears. */
  async act(
    verdict: ScalingDecision,
    current: ActiveModel,
    entry: ModelListing,
    sample: ResourceSample,
    thresholds: ScalingThresholds,
  ): Promise<ReliefOutcome> {
    if (this.ladder?.identifier !== current.identifier) {
      this.ladder = { identifier: current.identifier, rungs: [], failed: new Set() };
    }
    const ladder = this.ladder;
    if (verdict.action === 'up') return this.stepUp(ladder, verdict, current, entry, sample, thresholds);
    // A steady climb (the trend rule) outgrows any step; CPU and speed are not memory: those switch as before.
    if (verdict.action !== 'down' || verdict.trigger !== 'sustained_memory') return notHandled;
    const model = await this.reliefModel(current);
    if (!model) return notHandled;
    const need = memoryNeed(sample, thresholds.memoryPercent);
    // Layers to the CPU answer VRAM pressure, which no rule reads yet; under RAM pressure they add RAM.
    const options = reliefOptions(model).filter((o) => o.step !== 'layers_to_cpu' && !ladder.failed.has(o.step));
    const switchSeconds = switchCostSeconds(model);
    const choice = chooseRelief(options, need, switchSeconds);
    if (!choice.option) return { handled: false, note: choice.reason };
    const { option } = choice;
    const pressure = verdictCause(verdict);
    const adjusting = this.deps.activator.adjust(entry, {
      options: { contextLength: option.settings.contextLength, kvCacheType: option.settings.kvCacheType },
      estimate: footprint(model, option.settings),
      trigger: 'sustained_memory',
      reason: `${current.key}: ${pressure}; ${choice.reason}`,
      figures: {
        ...verdict.figures,
        estimatedSavingBytes: option.saving.ramBytes,
        neededBytes: need.ramBytes,
        costSeconds: option.cost.totalSeconds,
        switchCostSeconds: switchSeconds,
        lostTokens: option.cost.lostTokens,
      },
    });
    const active = await adjusting.catch((error: unknown) => {
      // The previous context is back (recreateContext restores it); a switch is what is left.
      ladder.failed.add(option.step);
      this.deps.logger.warn('relief step failed', { step: option.step, error: String(error) });
      return null;
    });
    if (!active) return { handled: false, note: `${option.description} failed` };
    ladder.rungs.push({ option, before: model.settings });
    ladder.identifier = active.identifier;
    return { handled: true, note: null, active };
  }

  /** Gives back the last step where memory stays clear of the line with it; holds (no upgrade) while it would not. */
  private async stepUp(
    ladder: Ladder,
    verdict: ScalingDecision,
    current: ActiveModel,
    entry: ModelListing,
    sample: ResourceSample,
    thresholds: ScalingThresholds,
  ): Promise<ReliefOutcome> {
    const last = ladder.rungs.at(-1);
    if (!last) return notHandled;
    const added = last.option.saving.ramBytes;
    if (!undoFits(sample, thresholds.memoryPercent, added)) {
      this.deps.logger.info('relief: keeping a step', {
        step: last.option.step,
        percentWith: percentWith(sample, added),
      });
      return { handled: true, note: null };
    }
    const model = await this.reliefModel(current);
    if (!model) return notHandled;
    const after = percentWith(sample, added).toFixed(1);
    const active = await this.deps.activator.adjust(entry, {
      options: { contextLength: last.before.contextLength, kvCacheType: last.before.kvCacheType },
      estimate: footprint(model, last.before),
      trigger: 'pressure_cleared',
      reason:
        `${current.key}: ${verdictCause(verdict)}; giving back ${last.option.description} ` +
        `(~${(added / 2 ** 20).toFixed(0)} MiB, memory to ${after} %)`,
      figures: { ...verdict.figures, estimatedSavingBytes: -added },
    });
    ladder.rungs.pop();
    ladder.identifier = active.identifier;
    return { handled: true, note: null, active };
  }

  /** What relief.ts needs of the model in use: its shape from its engine, its settings, the conversation's size. */
  private async reliefModel(current: ActiveModel): Promise<ReliefModel | null> {
    const backend = this.deps.backends.find((b) => b.id === current.backend);
    const info = (await backend?.listModels().catch(() => []))?.find((m) => m.key === current.key);
    if (!backend || !info?.gguf || current.reused) return null;
    const hints = await shapeHints(info);
    // Loaded with layers on the GPU where its estimate put memory there (not where a low battery kept it off).
    const gpuLayers = current.estimateVramBytes > 0 ? info.gguf.layerCount + 1 : 0;
    return {
      profile: info.gguf,
      ...(hints ? { hints } : {}),
      sizeBytes: info.sizeBytes,
      settings: { contextLength: current.contextLength, kvCacheType: current.kvCacheType ?? 'f16', gpuLayers },
      reconfigurable: typeof backend.reconfigure === 'function',
      loadMs: current.loadMs,
      conversationTokens: await this.conversationTokens(backend, current),
    };
  }

  /** The open conversation in the model's own tokens (about 4 characters a token where the engine cannot count). */
  private async conversationTokens(backend: ModelBackend, current: ActiveModel): Promise<number> {
    const id = this.deps.conversation.peek();
    if (!id) return 0;
    const text = this.deps.conversation.store
      .messages(id)
      .map((m) => m.content)
      .join('\n');
    return backend.countTokens(current.identifier, text).catch(() => Math.ceil(text.length / 4));
  }
}
