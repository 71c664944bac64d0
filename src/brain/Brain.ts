/**
 * The brain's composition root: builds every part from injected dependencies (defaults for a real machine), wires
 * them together, and hands hosts one object. Electron main, `mai serve` and the CLI all host this same object.
 * Behaviour lives in the parts: requests/ (the handlers), answer/ (chat), models/ (catalog, scaler), Mai.ts.
 */
import os from 'node:os';
import path from 'node:path';
import type { EventName, EventPayload, Invoke } from '../shared/contract';
import type { ChatOptions } from './answer/AnswerPipeline';
import { ChatService, type ChatAnswer } from './answer/ChatService';
import { createDefaultBackends } from './backendSet';
import type { ModelBackend } from './backends/ModelBackend';
import { createEventSources, type EventListener } from './brainEvents';
import { systemClock, type Clock } from './clock';
import { loadConfig, resolveMaiHome, shippedConfigDir, userConfigDir, type LoadedConfig } from './config';
import { ConversationStore } from './conversation/ConversationStore';
import { PullService } from './downloads';
import type { PullDeps } from './downloads/pullModel';
import { EventHub } from './EventHub';
import { hardwareFromInventory } from './hardware';
import { silentLogger, type Logger } from './logger';
import { Mai } from './Mai';
import { CatalogService } from './models/CatalogService';
import { measurementsFileName } from './models/measurementStore';
import { createHandlers, dispatch } from './requests/handlers';
import { createGpuSampler } from './resources/gpu/createGpuSampler';
import { createHostSampler } from './resources/hostSampler';
import { createOwnUsage } from './resources/ownUsage';
import type { ProcessTable } from './resources/processTable';
import { readInventory } from './resources/inventory';
import { ResourceMonitor } from './resources/ResourceMonitor';
import { createPowerSampler } from './resources/power/createPowerSampler';
import type { GpuSampler, HostSampler, PowerSampler } from './resources/sampler';
import { readSettings } from './settings';
import { TierDetector, type HardwareInventory } from './tiers';
import { maiVersion } from './version';

export type { EventListener } from './brainEvents';

/** The environment variables the brain reads (MAI_HOME, MAI_MODELS_DIR, MAI_LMSTUDIO_URL, MAI_HF_ENDPOINT, …). */
export type BrainEnv = Readonly<Record<string, string | undefined>>;

export interface BrainDeps {
  /** Where settings come from; the process's environment by default. Tests pass their own. */
  env?: BrainEnv;
  clock?: Clock;
  logger?: Logger;
  /** Live CPU/RAM source; /proc on Linux, os.* elsewhere by default. */
  hostSampler?: HostSampler;
  /** Where pressure is traced to programs (/proc); with a scripted hostSampler only when given (no real causes). */
  processTable?: ProcessTable;
  /** Live GPU source; NVML, nvidia-smi or AMD sysfs by default, whichever this machine has (none: `gpus: []`). */
  gpuSampler?: GpuSampler;
  /** Battery or mains: sysfs, pmset or systeminformation by default (resources/power/). */
  powerSampler?: PowerSampler;
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

export interface Brain {
  /** Starts sampling; resolves once the first sample exists, so status.get always has figures. */
  start(): Promise<void>;
  /** Answers one request, typed by the contract; errors come back as values. */
  invoke: Invoke;
  /** Answers one message in the current conversation (hosts stream it; the CLI prints it). */
  chat(text: string, options?: ChatOptions): Promise<ChatAnswer>;
  /** Calls the listener with the latest payload at once (the snapshot), then with every update. */
  subscribe<E extends EventName>(name: E, listener: EventListener<E>): () => void;
  shutdown(): Promise<void>;
}

export function createBrain(deps: BrainDeps = {}): Brain {
  const env = deps.env ?? process.env;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const version = deps.version ?? maiVersion;
  const maiHome = deps.maiHome ?? resolveMaiHome(env, process.platform, os.homedir());
  const config =
    deps.config ??
    loadConfig({ defaultsDir: deps.configDefaultsDir ?? shippedConfigDir(env), userDir: userConfigDir(maiHome) });
  const settings = readSettings(maiHome);
  const configErrors = [...config.errors, ...settings.errors];
  for (const error of configErrors) logger.warn('configuration problem, defaults in use', error);

  const own = createOwnUsage({
    current: () => mai.manager.current(),
    thresholds: () => tiers.scalingThresholds(),
    clock,
    ...(deps.processTable ? { table: deps.processTable } : {}),
  });
  const monitor = new ResourceMonitor({
    host: deps.hostSampler ?? createHostSampler({ enginePids: own.enginePids, table: own.table }),
    modelMemory: own.modelMemory,
    gpu: deps.gpuSampler ?? createGpuSampler({ logger }),
    power: deps.powerSampler ?? createPowerSampler(process.platform, env),
    // No model on the GPU: read it every 30 s, so a laptop's dGPU can sleep (gpuReadings.ts).
    gpuInUse: (): boolean => (mai.manager.current()?.estimateVramBytes ?? 0) > 0,
    clock,
    ...(deps.sampleIntervalMs === undefined ? {} : { sampleIntervalMs: deps.sampleIntervalMs }),
    onError: (error) => logger.warn('resource sample failed', { error: String(error) }),
  });
  if (!deps.hostSampler || deps.processTable) monitor.subscribe(own.observe);
  const readHardware =
    deps.hardware ??
    (async () => hardwareFromInventory(await readInventory({ liveGpus: monitor.snapshot()?.gpus ?? [] })));
  const tiers = new TierDetector(config.tiers, readHardware);
  const backends = deps.backends ?? createDefaultBackends({ maiHome, logger, env, hosts: config.hosts });
  const catalog = new CatalogService({
    backends,
    models: config.models,
    sample: async () => monitor.snapshot() ?? (await monitor.sampleNow()),
    clock,
    logger,
    measurementsFile: path.join(maiHome, measurementsFileName),
  });
  const loadProgress = new EventHub<EventPayload<'model.loadProgress'>>();
  const mai = new Mai({
    backends,
    monitor,
    tiers,
    config,
    catalog,
    store: new ConversationStore({ dir: path.join(maiHome, 'conversations'), clock }),
    clock,
    logger,
    pressureCauses: own.causes,
    onLoadProgress: (key, fraction) => loadProgress.emit({ key, fraction: Math.min(1, Math.max(0, fraction)) }),
  });
  // A model pinned by `mai switch` while no Mai ran: answer with it from the start.
  if (settings.settings.pinnedModel) mai.manager.pin(settings.settings.pinnedModel);

  const chat = new ChatService(mai);
  const pulls = new PullService({
    // The folder the default embedded backend scans, so a pulled model is listed at the next catalog read.
    modelsDir: path.join(maiHome, 'models'),
    models: () => config.models.models,
    hfEndpoint: env.MAI_HF_ENDPOINT ?? env.HF_ENDPOINT,
    ...deps.pulls,
  });
  const handlers = createHandlers({
    mai,
    chat,
    catalog,
    monitor,
    tiers,
    pulls,
    models: config.models,
    configErrors,
    version,
    pressureCause: own.cause,
  });
  const events = createEventSources({ monitor, mai, chat, pulls, loadProgress });
  let stopped = false;

  return {
    async start() {
      await monitor.start();
      // The tier needs the static inventory, read once; a failure leaves the tier unknown, never stops Mai.
      await tiers.detectCurrentTier().catch((error: unknown) => {
        logger.warn('tier detection failed', { error: String(error) });
      });
      mai.startScaler();
    },
    invoke: (request) => dispatch(handlers, request, logger),
    chat: (text, options) => chat.chat(text, options),
    subscribe(name, listener) {
      return events[name](listener);
    },
    async shutdown() {
      if (stopped) return;
      stopped = true;
      pulls.cancel();
      // An answer in flight ends as the person's stop: unloading its model under it must not hand it on.
      chat.cancel();
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
