/**
 * Mai, the orchestrator: answers each message with the best model for this machine and this conversation,
 * switches models as the machine's state changes (the scaler), falls back when a model fails, and keeps the
 * conversation (on disk, as it happens) across every switch. Every decision is recorded with its reason.
 */
import type { Decision, ModelListing, ModelState, ResourceSample } from '../shared/contract';
import type { Clock } from './clock';
import type { LoadedConfig, TierSpec } from './config';
import { BackendError, type BackendId, type ModelBackend, type ResponseStats } from './backends/ModelBackend';
import type { Logger } from './logger';
import { requiredCapabilities, scoreComplexity } from './conversation/complexity';
import type { ConversationStore } from './conversation/ConversationStore';
import { contextRecordOf } from './conversation/contextRecord';
import { fitContext } from './conversation/fitContext';
import { TokenCountCache } from './conversation/tokenCountCache';
import { defaultWorkingContextTokens } from './models/catalog';
import { preloadVerdict, type PreloadVerdict } from './models/preloadVerdict';
import { DecisionLog } from './models/DecisionLog';
import { GenerationSpeeds } from './models/GenerationSpeeds';
import { ModelManager, type ActiveModel } from './models/ModelManager';
import { evaluateScaling } from './models/scaler';
import { selectModel, type Selection } from './models/selectModel';
import type { ResourceMonitor } from './resources/ResourceMonitor';
import type { TierDetector } from './tiers';

/** Short on purpose: the smallest models (stories260K) lose the thread under a long system prompt. */
export const defaultSystemPrompt = 'You are Mai, a friendly and helpful companion.';

/** Room left in the window for the answer; 512 tokens is a long paragraph, and the engines stop at the window. */
export const answerReserveTokens = 512;

/** Three models tried per message: the choice and two fallbacks. More only delays the error a person needs. */
export const maxAttemptsPerMessage = 3;

/**
 * When nothing fits, Mai degrades: the smallest model, and a 1024-token window instead of the working 4k, which
 * cuts the KV cache to a quarter (a few recent turns still fit; fitContext drops the rest and records it).
 */
export const degradedContextTokens = 1024;

export interface MaiDeps {
  backends: readonly ModelBackend[];
  monitor: ResourceMonitor;
  tiers: TierDetector;
  config: LoadedConfig;
  store: ConversationStore;
  clock: Clock;
  logger: Logger;
  /** The catalog as it is now (fresh listings and live fit), optionally without some backends. */
  listCatalog: (options?: { excludeBackends?: ReadonlySet<BackendId> }) => Promise<ModelListing[]>;
  systemPrompt?: string;
  onLoadProgress?: (key: string, fraction: number) => void;
}

export interface ChatOptions {
  signal?: AbortSignal;
  /** Each streamed piece of the answer. `restart` is called when a failed model's partial answer is abandoned. */
  onFragment?: (text: string) => void;
  onRestart?: (reason: string) => void;
}

export interface ChatResult {
  text: string;
  model: { key: string; backend: ModelBackend['id'] };
  stats: ResponseStats;
  /** Decisions taken while answering (switches, fallbacks). */
  switches: Decision[];
}

export class Mai {
  readonly decisions = new DecisionLog();
  readonly manager: ModelManager;
  private generating = false;
  private lastSwitchAtMs: number | null = null;
  private conversationId: string | null = null;
  private scaling: Promise<void> | null = null;
  private unsubscribeScaler: (() => void) | null = null;
  private readonly tokenCounts = new TokenCountCache();
  private readonly speeds = new GenerationSpeeds();
  /** The catalog as last listed: the scaler's 1 Hz check reads categories from it and lists afresh only to act. */
  private lastCatalog: ModelListing[] = [];

  constructor(private readonly deps: MaiDeps) {
    this.manager = new ModelManager({
      backends: deps.backends,
      clock: deps.clock,
      logger: deps.logger,
      readAvailableBytes: async () => (await deps.monitor.sampleNow()).memory.availableBytes,
      ...(deps.onLoadProgress ? { onLoadProgress: deps.onLoadProgress } : {}),
    });
  }

  private tierSpec(): { name: string } & TierSpec {
    const name = this.deps.tiers.currentTier()?.name ?? 'low_end';
    return { name, ...this.deps.config.tiers[name] };
  }

  private async sample(): Promise<ResourceSample> {
    return this.deps.monitor.snapshot() ?? this.deps.monitor.sampleNow();
  }

  private record(decision: Omit<Decision, 'atMs'>): Decision {
    const recorded = this.decisions.record({ atMs: this.deps.clock.nowMs(), ...decision });
    this.deps.logger.info('model decision', recorded);
    if (this.conversationId) this.deps.store.appendSwitch(this.conversationId, recorded);
    return recorded;
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

  /** The conversation Mai is in, created on first use. */
  currentConversationId(): string {
    this.conversationId ??= this.deps.store.create();
    return this.conversationId;
  }

  newConversation(): string {
    this.conversationId = this.deps.store.create();
    return this.conversationId;
  }

  listConversations() {
    return this.deps.store.list();
  }

  /** Makes a stored conversation current; later messages continue it. */
  openConversation(id: string) {
    const conversation = this.deps.store.open(id);
    this.conversationId = conversation.id;
    return conversation;
  }

  getConversationHistory() {
    return this.deps.store.messages(this.currentConversationId());
  }

  /** Which model to answer with: the pinned one, else selectModel's choice (null only when nothing is usable). */
  private choose(
    catalog: ModelListing[],
    sample: ResourceSample,
    text: string,
    tried: ReadonlySet<string>,
    failedKey: string | null,
  ): Selection {
    const history = this.deps.store.messages(this.currentConversationId());
    const complexity = scoreComplexity({ text, turns: history.length });
    // ~4 characters a token in English; the real count, with the model's tokenizer, comes in fitContext.
    const tokensNeeded = Math.ceil(history.reduce((sum, m) => sum + m.content.length, text.length) / 4);
    const avoid = new Map(this.manager.avoided());
    for (const key of tried) avoid.set(key, 'failed while answering this message');
    const pinned = this.manager.pinnedKey;
    const pinnedEntry = pinned ? catalog.find((m) => m.key === pinned && !avoid.has(m.key)) : undefined;
    if (pinnedEntry) return { choice: pinnedEntry, reason: `pinned to ${pinned}`, rejected: [], degraded: false };
    // After a failure the failed model's configured fallback chain comes first, in its order.
    const chain = this.deps.config.models.models.find((m) => m.key === failedKey)?.fallback ?? [];
    for (const key of chain) {
      const entry = catalog.find((m) => m.key === key && m.usable && !avoid.has(m.key));
      if (entry) return { choice: entry, reason: `fallback of ${failedKey}: ${key}`, rejected: [], degraded: false };
    }
    const current = this.manager.current();
    return selectModel({
      catalog,
      sample,
      tier: this.tierSpec(),
      request: { capabilities: requiredCapabilities(text, []), tokensNeeded, complexity: complexity.level },
      currentKey: current?.key ?? null,
      avoid,
      freedByCurrent: { ramBytes: current?.estimateRamBytes ?? 0, vramBytes: current?.estimateVramBytes ?? 0 },
    });
  }

  /** Loads `entry` if it is not the active model, recording the switch. */
  private async activate(
    entry: ModelListing,
    trigger: Decision['trigger'],
    reason: string,
    switches: Decision[],
    figures: Record<string, number> = {},
    contextLength = entry.estimate?.contextLength ?? defaultWorkingContextTokens,
  ) {
    const before = this.manager.current();
    const active = await this.manager.ensure(entry, contextLength);
    if (before?.key !== active.key) {
      // Wall-clock, like the samples' atMs the scaler compares it with.
      this.lastSwitchAtMs = this.deps.clock.nowMs();
      switches.push(
        this.record({
          from: before?.key ?? null,
          to: active.key,
          trigger,
          reason,
          figures: { ...figures, loadMs: active.loadMs },
        }),
      );
    }
    return active;
  }

  /** Answers one message; the user's message is on disk before anything else happens. */
  async processMessage(text: string, options: ChatOptions = {}): Promise<ChatResult> {
    const conversationId = this.currentConversationId();
    this.deps.store.appendMessage(conversationId, { role: 'user', content: text });
    const switches: Decision[] = [];
    const tried = new Set<string>();
    let lastError: unknown = null;
    let failedKey: string | null = null;
    /** A backend that went away (LM Studio closed, refused) is skipped for the rest of this message. */
    const lostBackends = new Set<BackendId>();
    this.generating = true;
    try {
      for (let attempt = 0; attempt < maxAttemptsPerMessage; attempt += 1) {
        const catalog = await this.catalog(lostBackends);
        const selection = this.choose(catalog, await this.sample(), text, tried, failedKey);
        if (!selection.choice) break;
        const trigger = attempt > 0 ? 'failure' : selection.degraded ? 'degraded' : 'selection';
        try {
          const working = selection.choice.estimate?.contextLength ?? defaultWorkingContextTokens;
          const contextLength = selection.degraded ? Math.min(working, degradedContextTokens) : working;
          const reason =
            contextLength < working
              ? `${selection.reason}; with a ${contextLength}-token window to save memory`
              : selection.reason;
          const active = await this.activate(selection.choice, trigger, reason, switches, {}, contextLength);
          return await this.answerWith(active, conversationId, options, switches);
        } catch (error) {
          if (options.signal?.aborted) throw error;
          lastError = error;
          const message = error instanceof Error ? error.message : String(error);
          tried.add(selection.choice.key);
          failedKey = selection.choice.key;
          if (error instanceof BackendError && backendLevelFailures.has(error.code)) lostBackends.add(error.backend);
          this.manager.recordFailure(selection.choice.key, message);
          options.onRestart?.(message);
          switches.push(
            this.record({
              from: selection.choice.key,
              to: null,
              trigger: 'failure',
              reason: `${selection.choice.key} failed: ${message}`,
              figures: { attempt: attempt + 1 },
            }),
          );
        }
      }
      throw noModelError(lastError);
    } finally {
      this.generating = false;
    }
  }

  /**
   * Fits the conversation into `active`'s window with its own tokenizer and records the choice. Runs before every
   * turn and at every switch, so the log shows what each model would see.
   */
  private async fitFor(active: ActiveModel, conversationId: string) {
    const backend = this.deps.backends.find((b) => b.id === active.backend);
    if (!backend) throw new BackendError('not_found', `no ${active.backend} backend`, active.backend);
    const reserveForAnswerTokens = Math.min(answerReserveTokens, Math.floor(active.contextLength / 4));
    const fitted = await fitContext({
      systemPrompt: this.deps.systemPrompt ?? defaultSystemPrompt,
      messages: this.deps.store.messages(conversationId),
      windowTokens: active.contextLength,
      reserveForAnswerTokens,
      countTokens: (content) => backend.countTokens(active.identifier, content),
      cache: this.tokenCounts.forModel(active.key),
      condense: true,
    });
    this.deps.store.appendContext(
      conversationId,
      contextRecordOf(fitted, {
        model: { key: active.key, backend: active.backend },
        windowTokens: active.contextLength,
        reserveForAnswerTokens,
      }),
    );
    return { backend, fitted, reserveForAnswerTokens };
  }

  private async answerWith(
    active: ActiveModel,
    conversationId: string,
    options: ChatOptions,
    switches: Decision[],
  ): Promise<ChatResult> {
    const { backend, fitted, reserveForAnswerTokens } = await this.fitFor(active, conversationId);
    if (!fitted.fits) {
      // Not even the system prompt and the end of the message fit: a model with a larger window must answer.
      throw new BackendError(
        'unusable',
        `the conversation does not fit ${active.key}: ${fitted.reason}`,
        active.backend,
      );
    }
    const result = await backend.respond(active.identifier, fitted.messages, {
      maxTokens: reserveForAnswerTokens,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onFragment ? { onFragment: options.onFragment } : {}),
    });
    this.speeds.record(active.key, result.stats);
    this.deps.store.appendMessage(conversationId, {
      role: 'assistant',
      content: result.text,
      model: { key: active.key, backend: active.backend },
      stats: result.stats,
    });
    return { text: result.text, model: { key: active.key, backend: active.backend }, stats: result.stats, switches };
  }

  /** Watches every sample and switches down under pressure, up when it clears; never in the middle of an answer. */
  startScaler(): void {
    this.unsubscribeScaler ??= this.deps.monitor.subscribe(() => {
      if (this.scaling || this.generating || this.manager.mode !== 'auto' || !this.manager.current()) return;
      this.scaling = this.scaleOnce()
        .catch((error: unknown) => this.deps.logger.warn('scaling failed', { error: String(error) }))
        .finally(() => {
          this.scaling = null;
        });
    });
  }

  private async catalog(excludeBackends?: ReadonlySet<BackendId>): Promise<ModelListing[]> {
    const catalog = await this.deps.listCatalog(excludeBackends?.size ? { excludeBackends } : undefined);
    if (!excludeBackends?.size) this.lastCatalog = catalog;
    return catalog;
  }

  private async scaleOnce(): Promise<void> {
    const current = this.manager.current();
    if (!current) return;
    const currentEntry = this.lastCatalog.find((m) => m.key === current.key);
    const generation = this.speeds.take(current.key);
    const verdict = evaluateScaling({
      nowMs: this.deps.clock.nowMs(),
      samples: this.deps.monitor.samplesWithin(5 * 60_000),
      thresholds: this.deps.tiers.scalingThresholds(),
      generating: this.generating,
      current: currentEntry ? { key: current.key, category: currentEntry.category } : null,
      lastSwitchAtMs: this.lastSwitchAtMs,
      ...(generation ? { generation } : {}),
    });
    if (verdict.action === 'none' || !verdict.trigger) return;
    const catalog = await this.catalog();
    const lighter = verdict.action === 'down';
    const currentRamBytes = current.estimateRamBytes;
    // Down: only models that need less memory than the current one; up: any, selection weighs the gain.
    const candidates = catalog.filter(
      (m) => m.key === current.key || !lighter || (m.estimate?.ramBytes ?? Infinity) < currentRamBytes,
    );
    const pool = lighter ? candidates.filter((m) => m.key !== current.key) : candidates;
    const selection = selectModel({
      catalog: pool,
      sample: await this.sample(),
      tier: this.tierSpec(),
      request: { capabilities: ['chat'], tokensNeeded: 0, complexity: lighter ? 'simple' : 'complex' },
      currentKey: lighter ? null : current.key,
      avoid: this.manager.avoided(),
      freedByCurrent: { ramBytes: current.estimateRamBytes, vramBytes: current.estimateVramBytes },
    });
    if (!selection.choice || selection.choice.key === current.key) {
      // Nothing better to go to: wait out a cooldown before asking again, instead of relisting every second.
      this.lastSwitchAtMs = this.deps.clock.nowMs();
      this.deps.logger.info('scaler: no model to switch to', { trigger: verdict.trigger, reason: selection.reason });
      return;
    }
    if (this.generating) return;
    const active = await this.activate(
      selection.choice,
      verdict.trigger,
      `${verdict.reason}; ${selection.reason}`,
      [],
      verdict.figures,
    );
    // The conversation moves with the switch: fit it to the new model now, not only at the next message.
    if (this.conversationId && this.deps.store.messages(this.conversationId).length > 0) {
      await this.fitFor(active, this.conversationId);
    }
  }

  /**
   * Loads a model beside the current one so that switching to it later is instant. Refused when it would not fit
   * now or would push memory use over the tier's threshold (it would create the very pressure that forces a switch).
   */
  async preloadModel(key: string): Promise<PreloadVerdict> {
    const entry = (await this.catalog()).find((m) => m.key === key);
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
    this.unsubscribeScaler?.();
    this.unsubscribeScaler = null;
    await this.scaling;
    await this.manager.close();
    this.deps.store.close();
  }
}

/** Failures of the engine itself rather than of one model: its other models would fail the same way. */
const backendLevelFailures = new Set(['disconnected', 'not_running', 'refused']);

function noModelError(cause: unknown): BackendError {
  const detail = cause instanceof Error ? ` The last error: ${cause.message}` : '';
  return new BackendError(
    'not_found',
    `No model could answer: none is usable, or every one that fits failed.${detail} Run "mai models" to see what Mai found and why each does or does not fit.`,
    'embedded',
    { cause },
  );
}
