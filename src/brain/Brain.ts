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
import { backendStatuses, createDefaultBackends } from './backendSet';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { estimateMemory } from './backends/estimate';
import type { ModelBackend } from './backends/ModelBackend';
import { systemClock, type Clock } from './clock';
import { loadConfig, resolveMaiHome, shippedConfigDir, userConfigDir, type LoadedConfig } from './config';
import { hardwareFromInventory } from './hardware';
import { silentLogger, type Logger } from './logger';
import { buildCatalog, type BackendListing } from './models/catalog';
import { createGpuSampler } from './resources/gpu/createGpuSampler';
import { createHostSampler } from './resources/hostSampler';
import { readInventory } from './resources/inventory';
import { ResourceMonitor } from './resources/ResourceMonitor';
import type { GpuSampler, HostSampler } from './resources/sampler';
import { TierDetector, type HardwareInventory } from './tiers';
import { maiVersion } from './version';

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
}

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

export interface Brain {
  /** Starts sampling; resolves once the first sample exists, so status.get always has figures. */
  start(): Promise<void>;
  /** Answers one validated request; errors come back as values. */
  invoke(request: ParsedRequest): Promise<Result<unknown>>;
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
  for (const error of config.errors) logger.warn('configuration problem, defaults in use', error);
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

  async function listBackends(): Promise<BackendListing[]> {
    const healths = await backendStatuses(backends);
    return Promise.all(
      backends.map(async (backend, index): Promise<BackendListing> => {
        const health = healths[index] ?? { id: backend.id, status: 'error', detail: 'no health answer' };
        if (health.status !== 'ready') return { backend, health, models: [], loaded: [] };
        const [models, loaded] = await Promise.all([backend.listModels(), backend.listLoaded()]);
        return { backend, health, models, loaded };
      }),
    );
  }

  async function listModels() {
    const listings = await listBackends();
    // The embedded engine's instance lets estimates use llama.cpp's own figures for readable files.
    const embeddedReady = listings.some((l) => l.backend === embedded && l.health.status === 'ready');
    const llama = embedded && embeddedReady ? await embedded.getLlama() : undefined;
    const sample = monitor.snapshot() ?? (await monitor.sampleNow());
    const models = await buildCatalog({
      listings,
      config: config.models,
      sample,
      estimate: (model, request) => estimateMemory(model, request, llama ? { llama } : {}),
    });
    return { models };
  }

  async function status(): Promise<Status> {
    const resources = monitor.snapshot() ?? (await monitor.sampleNow());
    return {
      app: { name: 'Mai', version },
      resources,
      tier: tiers.currentTier(),
      config: { errors: config.errors },
      backends: await backendStatuses(backends),
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
  };

  return {
    async start() {
      await monitor.start();
      // The tier needs the static inventory, read once; a failure leaves the tier unknown, never stops Mai.
      await tiers.detectCurrentTier().catch((error: unknown) => {
        logger.warn('tier detection failed', { error: String(error) });
      });
    },

    async invoke(request) {
      try {
        return parseResponse(request.name, await answer(request));
      } catch (error) {
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
