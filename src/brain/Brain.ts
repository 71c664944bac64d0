import {
  fail,
  parseResponse,
  type EventName,
  type EventPayload,
  type ParsedRequest,
  type Result,
  type Status,
} from '../shared/contract';
import os from 'node:os';
import path from 'node:path';
import { backendStatuses, createDefaultBackends } from './backendSet';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { estimateMemory, type MemoryEstimate } from './backends/estimate';
import { BackendError, type BackendId, type ModelBackend } from './backends/ModelBackend';
import { systemClock, type Clock } from './clock';
import { loadConfig, resolveMaiHome, shippedConfigDir, userConfigDir, type LoadedConfig } from './config';
import { hardwareFromInventory } from './hardware';
import { silentLogger, type Logger } from './logger';
import { ConversationStore } from './conversation/ConversationStore';
import { Mai, type ChatOptions, type ChatResult } from './Mai';
import { buildCatalog, type BackendListing } from './models/catalog';
import { personalityLine } from './personality';
import { readSettings } from './settings';
import { EventHub } from './EventHub';
import { RequestError } from './RequestError';
import { ConversationError } from './conversation/ConversationError';
import { createGpuSampler } from './resources/gpu/createGpuSampler';
import { createHostSampler } from './resources/hostSampler';
import { readInventory } from './resources/inventory';
import { ResourceMonitor } from './resources/ResourceMonitor';
import type { GpuSampler, HostSampler } from './resources/sampler';
import { TierDetector, type HardwareInventory } from './tiers';
import { maiVersion } from './version';
import { PullError, PullService, recommendDownloads } from './downloads';
import type { PullDeps } from './downloads/pullModel';

export interface BrainDeps {
  clock?: Clock;
  logger?: Logger;
  /** Live CPU/RAM source; /proc on Linux, os.* elsewhere by default. */
  hostSampler?: HostSampler;
  /** Live GPU source; NVML, nvidia-smi or AMD sysfs by default, whichever this machine has (none: `gpus: []`). */
  gpuSampler?: GpuSampler;
  sampleIntervalMs?: number;
  version?: string;
  /** Mai's data folder; `$MAI_HOME`, else the platform's per-user config folder for "Mai". */
  maiHome?: string;
  /** The shipped defaults (`config/`); found beside the code by default. */
  configDefaultsDir?: string;
  /** Already-loaded configuration (tests); replaces reading the YAML files. */
  config?: LoadedConfig;
  /** The static hardware inventory (tests); read once through systeminformation by default. */
  hardware?: () => Promise<HardwareInventory>;
  /** The engines; LM Studio and the embedded llama.cpp engine by default. */
  backends?: ModelBackend[];
  /** Downloads: the Hugging Face endpoint (`MAI_HF_ENDPOINT`/`HF_ENDPOINT`), disk and transfer settings (tests). */
  pulls?: Partial<Omit<PullDeps, 'modelsDir'>>;
}

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

export interface Brain {
  /** Starts sampling; resolves once the first sample exists, so status.get always has figures. */
  start(): Promise<void>;
  /** Answers one validated request; errors come back as values. */
  invoke(request: ParsedRequest): Promise<Result<unknown>>;
  /** Answers one message in the current conversation (hosts stream it; the CLI prints it). */
  chat(text: string, options?: ChatOptions): Promise<ChatResult & { conversationId: string }>;
  /** Calls the listener with the latest payload at once (the snapshot), then with every update. */
  subscribe<E extends EventName>(name: E, listener: EventListener<E>): () => void;
  shutdown(): Promise<void>;
}

/** Builds the brain from injected parts. Electron main, `mai serve` and the CLI all host this same object. */
export function createBrain(deps: BrainDeps = {}): Brain {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const version = deps.version ?? maiVersion;
  const maiHome = deps.maiHome ?? resolveMaiHome(process.env, process.platform, os.homedir());
  const config =
    deps.config ??
    loadConfig({ defaultsDir: deps.configDefaultsDir ?? shippedConfigDir(), userDir: userConfigDir(maiHome) });
  const settings = readSettings(maiHome);
  const configErrors = [...config.errors, ...settings.errors];
  for (const error of configErrors) logger.warn('configuration problem, defaults in use', error);
  const monitor = new ResourceMonitor({
    host: deps.hostSampler ?? createHostSampler(),
    gpu: deps.gpuSampler ?? createGpuSampler({ logger }),
    clock,
    ...(deps.sampleIntervalMs === undefined ? {} : { sampleIntervalMs: deps.sampleIntervalMs }),
    onError: (error) => logger.warn('resource sample failed', { error: String(error) }),
  });

  const readHardware =
    deps.hardware ??
    (async () => hardwareFromInventory(await readInventory({ liveGpus: monitor.snapshot()?.gpus ?? [] })));
  const tiers = new TierDetector(config.tiers, readHardware);
  const backends = deps.backends ?? createDefaultBackends(maiHome, logger);
  const embedded = backends.find((b): b is EmbeddedBackend => b instanceof EmbeddedBackend);

  async function listBackends(excluded?: ReadonlySet<BackendId>): Promise<BackendListing[]> {
    const included = excluded ? backends.filter((b) => !excluded.has(b.id)) : backends;
    const healths = await backendStatuses(included);
    return Promise.all(
      included.map(async (backend, index): Promise<BackendListing> => {
        const health = healths[index] ?? { id: backend.id, status: 'error', detail: 'no health answer' };
        if (health.status !== 'ready') return { backend, health, models: [], loaded: [] };
        const [models, loaded] = await Promise.all([backend.listModels(), backend.listLoaded()]);
        return { backend, health, models, loaded };
      }),
    );
  }

  const fragments = new EventHub<EventPayload<'chat.fragment'>>();
  const restarts = new EventHub<EventPayload<'chat.restart'>>();
  const loadProgress = new EventHub<EventPayload<'model.loadProgress'>>();
  /** The answer being written, so chat.cancel can stop it; one at a time, as a person writes. */
  let answering: AbortController | null = null;

  const mai = new Mai({
    backends,
    monitor,
    tiers,
    config,
    store: new ConversationStore({ dir: path.join(maiHome, 'conversations'), clock }),
    clock,
    logger,
    listCatalog: async (options) => (await listModels(options?.excludeBackends)).models,
    onLoadProgress: (key, fraction) => loadProgress.emit({ key, fraction: Math.min(1, Math.max(0, fraction)) }),
  });

  async function chat(text: string, options: ChatOptions = {}): Promise<ChatResult & { conversationId: string }> {
    if (answering) {
      throw new RequestError('unavailable', 'an answer is already being written; cancel it (chat.cancel) or wait');
    }
    const controller = new AbortController();
    answering = controller;
    options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason));
    const conversationId = mai.currentConversationId();
    try {
      const result = await mai.processMessage(text, {
        signal: controller.signal,
        onFragment: (fragment) => {
          fragments.emit({ conversationId, text: fragment });
          options.onFragment?.(fragment);
        },
        onRestart: (reason) => {
          restarts.emit({ conversationId, reason });
          options.onRestart?.(reason);
        },
      });
      return { ...result, conversationId };
    } finally {
      answering = null;
    }
  }

  function openConversation(id: string) {
    try {
      const conversation = mai.openConversation(id);
      const switches = conversation.records.flatMap((r) =>
        r.type === 'switch'
          ? [{ atMs: r.atMs, from: r.from, to: r.to, trigger: r.trigger, reason: r.reason, figures: r.figures ?? {} }]
          : [],
      );
      return { id: conversation.id, messages: conversation.messages, switches };
    } catch (error) {
      if (error instanceof ConversationError) throw new RequestError('bad_request', error.message);
      throw error;
    }
  }

  // A model pinned by `mai switch` while no Mai ran: answer with it from the start.
  if (settings.settings.pinnedModel) mai.manager.pin(settings.settings.pinnedModel);

  async function switchModel(key: string) {
    const before = mai.manager.current()?.key ?? null;
    if (key === 'auto') {
      mai.manager.automatic();
      mai.decisions.record({
        atMs: clock.nowMs(),
        from: before,
        to: before,
        trigger: 'manual',
        reason: 'automatic choice: Mai picks the model for each message and the machine',
        figures: {},
      });
      return mai.modelState();
    }
    const { models } = await listModels();
    const entry = models.find((m) => m.key === key);
    if (!entry) {
      throw new RequestError(
        'bad_request',
        `no model "${key}"; known: ${models.map((m) => m.key).join(', ') || 'none (run mai models)'}`,
      );
    }
    if (!entry.usable) throw new RequestError('bad_request', `${key} cannot be used: ${entry.reason}`);
    mai.manager.pin(key);
    mai.decisions.record({
      atMs: clock.nowMs(),
      from: before,
      to: key,
      trigger: 'manual',
      reason: `pinned to ${key} by request${entry.fits ? '' : ` although it may not fit (${entry.reason})`}`,
      figures: {},
    });
    return mai.modelState();
  }

  const pulls = new PullService({
    // The folder the default embedded backend scans, so a pulled model is listed at the next catalog read.
    modelsDir: path.join(maiHome, 'models'),
    models: () => config.models.models,
    hfEndpoint: process.env.MAI_HF_ENDPOINT ?? process.env.HF_ENDPOINT,
    ...deps.pulls,
  });

  async function recommendations() {
    const { models } = await listModels();
    const tier = tiers.currentTier();
    return {
      recommendations: recommendDownloads({
        models: config.models.models,
        presentKeys: new Set(models.map((m) => m.key)),
        sample: monitor.snapshot() ?? (await monitor.sampleNow()),
        tier: tier ? { name: tier.name, preferredCategories: tiers.preferredCategories() } : null,
      }),
    };
  }

  const estimates = new Map<string, Promise<MemoryEstimate>>();

  async function listModels(excludeBackends?: ReadonlySet<BackendId>) {
    const listings = await listBackends(excludeBackends);
    // The embedded engine's instance lets estimates use llama.cpp's own figures for readable files.
    const embeddedReady = listings.some((l) => l.backend === embedded && l.health.status === 'ready');
    const llama = embedded && embeddedReady ? await embedded.getLlama() : undefined;
    const sample = monitor.snapshot() ?? (await monitor.sampleNow());
    const models = await buildCatalog({
      listings,
      config: config.models,
      sample,
      estimate: (model, request) => {
        // An engine estimate costs 30-200 ms; a model's file and the request decide it, so it is computed once.
        const key = `${model.backend}|${model.key}|${model.sizeBytes}|${request.contextLength}|${request.gpuLayers}`;
        let estimate = estimates.get(key);
        if (!estimate) {
          estimate = estimateMemory(model, request, llama ? { llama } : {});
          estimates.set(key, estimate);
        }
        return estimate;
      },
    });
    return { models };
  }

  async function status(): Promise<Status> {
    const resources = monitor.snapshot() ?? (await monitor.sampleNow());
    return {
      app: { name: 'Mai', version },
      resources,
      tier: tiers.currentTier(),
      config: { errors: configErrors },
      backends: await backendStatuses(backends),
      model: mai.modelState(),
      decisions: mai.decisions.recent(),
      personality: personalityLine(resources, tiers.scalingThresholds(), mai.manager.current()?.key ?? null),
    };
  }

  async function answer(request: ParsedRequest): Promise<unknown> {
    switch (request.name) {
      case 'status.get':
        return status();
      case 'resources.history':
        return { samples: monitor.samplesWithin(request.payload.windowMs) };
      case 'models.list':
        return listModels();
      case 'models.switch':
        return switchModel(request.payload.key);
      case 'models.preload':
        return mai.preloadModel(request.payload.key);
      case 'models.recommended':
        return recommendations();
      case 'models.pull':
        return pulls.pull(request.payload.key, { sha256: request.payload.sha256 ?? null });
      case 'models.pullCancel':
        return { cancelled: pulls.cancel() };
      case 'chat.send':
        return chat(request.payload.text);
      case 'chat.cancel': {
        const cancelled = answering !== null;
        answering?.abort(new Error('cancelled by request'));
        return { cancelled };
      }
      case 'conversations.list':
        return { conversations: await mai.listConversations() };
      case 'conversations.new':
        return { id: mai.newConversation() };
      case 'conversations.open':
        return openConversation(request.payload.id);
    }
  }

  let stopped = false;

  /** One source per event: each sends its latest payload first (the snapshot), then every update. */
  const eventSources: { [E in EventName]: (listener: EventListener<E>) => () => void } = {
    'resources.sample': (listener) => {
      const latest = monitor.snapshot();
      if (latest) listener(latest);
      return monitor.subscribe(listener);
    },
    // Decisions are a log, not a state: a new subscriber gets the latest one first so it knows where things stand.
    'model.decision': (listener) => {
      const latest = mai.decisions.latest();
      if (latest) listener(latest);
      return mai.decisions.subscribe(listener);
    },
    'chat.fragment': (listener) => fragments.subscribe(listener),
    'chat.restart': (listener) => restarts.subscribe(listener),
    'model.loadProgress': (listener) => loadProgress.subscribe(listener),
    'model.pullProgress': (listener) => pulls.events.subscribe(listener),
  };

  return {
    async start() {
      await monitor.start();
      // The tier needs the static inventory, read once; a failure leaves the tier unknown, never stops Mai.
      await tiers.detectCurrentTier().catch((error: unknown) => {
        logger.warn('tier detection failed', { error: String(error) });
      });
      mai.startScaler();
    },

    chat,

    async invoke(request) {
      try {
        return parseResponse(request.name, await answer(request));
      } catch (error) {
        if (error instanceof RequestError) return fail(error.code, error.message);
        if (error instanceof BackendError) return fail('unavailable', error.message);
        if (error instanceof PullError)
          return fail(error.code === 'unknown' ? 'bad_request' : 'unavailable', error.message);
        logger.error(`request ${request.name} failed`, { error: String(error) });
        return fail('internal', `${request.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },

    subscribe(name, listener) {
      return eventSources[name](listener as EventListener<EventName>);
    },

    async shutdown() {
      if (stopped) return;
      stopped = true;
      pulls.cancel();
      await mai.shutdown();
      monitor.stop();
      await Promise.all(
        backends.map((backend) =>
          backend
            .close()
            .catch((error: unknown) => logger.warn(`closing ${backend.id} failed`, { error: String(error) })),
        ),
      );
    },
  };
}
