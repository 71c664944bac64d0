/**
 * Mai, the orchestrator: answers each message with the best model for this machine and this conversation (the
 * answer pipeline), switches models as the machine's state changes (the scaler loop), falls back when a model
 * fails, and keeps the conversation (on disk, as it happens) across every switch. Every decision goes through one
 * recorder, which names it, logs it and writes it into the conversation it happened in.
 */
import type { ModelState, ResourceSample } from '../shared/contract';
import { AnswerPipeline, type ChatOptions, type ChatResult } from './answer/AnswerPipeline';
import type { Turn } from './answer/turn';
import type { ModelBackend } from './backends/ModelBackend';
import type { Clock } from './clock';
import type { LoadedConfig } from './config';
import { ConversationFitter } from './conversation/ConversationFitter';
import type { ConversationStore } from './conversation/ConversationStore';
import { CurrentConversation } from './conversation/CurrentConversation';
import type { Logger } from './logger';
import type { CatalogService } from './models/CatalogService';
import { DecisionLog } from './models/DecisionLog';
import { GenerationSpeeds } from './models/GenerationSpeeds';
import { ModelActivator } from './models/ModelActivator';
import { ModelManager } from './models/ModelManager';
import { powerAwareTier } from './models/powerPreference';
import { preloadVerdict, type PreloadVerdict } from './models/preloadVerdict';
import { ReliefSteps } from './models/ReliefSteps';
import { ScalerLoop } from './models/ScalerLoop';
import { StepAside } from './models/StepAside';
import type { NeighbourSource } from './resources/PressureAttribution';
import type { ResourceMonitor } from './resources/ResourceMonitor';
import type { TierDetector } from './tiers';

export type { ChatOptions, ChatResult } from './answer/AnswerPipeline';

export interface MaiDeps {
  backends: readonly ModelBackend[];
  monitor: ResourceMonitor;
  tiers: TierDetector;
  config: LoadedConfig;
  store: ConversationStore;
  catalog: CatalogService;
  clock: Clock;
  logger: Logger;
  systemPrompt?: string;
  /** Which programs are taking the machine, named in the scaler's reasons (resources/PressureAttribution). */
  pressureCauses?: () => { memory: string | null; cpu: string | null };
  /** The programs taking memory, for stepping aside when one takes it fast; without it Mai never steps aside. */
  neighbours?: NeighbourSource;
  onLoadProgress?: (key: string, fraction: number) => void;
}

export class Mai {
  readonly decisions: DecisionLog;
  readonly manager: ModelManager;
  readonly conversation: CurrentConversation;
  private readonly pipeline: AnswerPipeline;
  private readonly scaler: ScalerLoop;

  constructor(private readonly deps: MaiDeps) {
    const { backends, monitor, tiers, clock, logger, catalog } = deps;
    this.conversation = new CurrentConversation(deps.store);
    this.decisions = new DecisionLog({
      clock,
      logger,
      appendToConversation: (decision) => {
        const id = this.conversation.peek();
        if (id) deps.store.appendSwitch(id, decision);
      },
    });
    // The tier as the power source bends it (on battery: lighter models, maybe no GPU); every decision names it.
    const tier = () => powerAwareTier(tiers, deps.config.tiers, monitor.snapshot()?.power);
    this.manager = new ModelManager({
      gpuOffload: () => (tier().gpuOffload ? 'auto' : 'off'),
      backends,
      clock,
      logger,
      readAvailableBytes: async () => (await monitor.sampleNow()).memory.availableBytes,
      measurements: catalog.measurements,
      ...(deps.onLoadProgress ? { onLoadProgress: deps.onLoadProgress } : {}),
    });
    const activator = new ModelActivator({ manager: this.manager, decisions: this.decisions, clock });
    const fitter = new ConversationFitter({
      backends,
      store: deps.store,
      ...(deps.systemPrompt === undefined ? {} : { systemPrompt: deps.systemPrompt }),
    });
    const speeds = new GenerationSpeeds();
    const sample = () => this.sample();
    this.pipeline = new AnswerPipeline({
      conversation: this.conversation,
      manager: this.manager,
      activator,
      fitter,
      decisions: this.decisions,
      speeds,
      models: deps.config.models,
      catalog: (lost) => catalog.list(lost),
      sample,
      tier,
    });
    this.scaler = new ScalerLoop({
      monitor,
      manager: this.manager,
      activator,
      fitter,
      conversation: this.conversation,
      speeds,
      clock,
      logger,
      thresholds: () => tiers.scalingThresholds(),
      tier,
      lastCatalog: () => catalog.latest(),
      listCatalog: () => catalog.list(),
      sample,
      answering: () => this.pipeline.busy,
      relief: new ReliefSteps({ activator, backends, conversation: this.conversation, logger }),
      ...(deps.pressureCauses ? { causes: deps.pressureCauses } : {}),
      ...(deps.neighbours
        ? { aside: new StepAside({ activator, manager: this.manager, neighbours: deps.neighbours, clock, logger }) }
        : {}),
    });
  }

  private async sample(): Promise<ResourceSample> {
    return this.deps.monitor.snapshot() ?? this.deps.monitor.sampleNow();
  }

  modelState(): ModelState {
    const current = this.manager.current();
    return {
      current: current ? { key: current.key, backend: current.backend, contextLength: current.contextLength } : null,
      mode: this.manager.mode,
      pinnedKey: this.manager.pinnedKey,
      reason: this.decisions.latest()?.reason ?? 'no model chosen yet: the first message chooses one',
    };
  }

  /** Answers one message in the current conversation. */
  processMessage(text: string, options: ChatOptions = {}): Promise<ChatResult> {
    return this.pipeline.answer(text, options);
  }

  /** Answers a turn in the current conversation: a message, a regeneration or an edit (answer/turn.ts). */
  answerTurn(turn: Turn, options: ChatOptions = {}): Promise<ChatResult> {
    return this.pipeline.answerTurn(turn, options);
  }

  /** Watches every sample and switches down under pressure, up when it clears; never in the middle of an answer. */
  startScaler(): void {
    this.scaler.start();
  }

  /**
   * Loads a model beside the current one so that switching to it later is instant. Refused when it would not fit
   * now or would push memory use over the tier's threshold (it would create the very pressure that forces a switch).
   */
  async preloadModel(key: string): Promise<PreloadVerdict> {
    const entry = (await this.deps.catalog.list()).find((m) => m.key === key);
    // A fresh reading: the decision adds memory use, so it must not rest on a second-old figure.
    const sample = await this.deps.monitor.sampleNow();
    const verdict = preloadVerdict(key, entry, sample, this.deps.tiers.scalingThresholds());
    if (verdict.preloading && entry?.estimate) {
      void this.manager
        .preload(entry, entry.estimate.contextLength)
        .catch((error: unknown) => this.deps.logger.warn('preload failed', { key, error: String(error) }));
    }
    return verdict;
  }

  async shutdown(): Promise<void> {
    await this.scaler.stop();
    await this.manager.close();
    this.deps.store.close();
  }
}
