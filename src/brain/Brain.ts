/**
 * The brain's composition root: builds every part from injected dependencies (defaults for a real machine), wires
 * them together, and hands hosts one object. Electron main, `mai serve` and the CLI all host this same object.
 * Behaviour lives in the parts: requests/ (the handlers), answer/ (chat), models/ (catalog, scaler), Mai.ts.
 */
import os from 'node:os';
import path from 'node:path';
import type { EventPayload } from '../shared/contract';
import { ChatService } from './answer/ChatService';
import { createDefaultBackends } from './backendSet';
import { createEventSources } from './brainEvents';
import { systemClock } from './clock';
import { loadConfig, resolveMaiHome, shippedConfigDir, userConfigDir } from './config';
import { ConversationStore } from './conversation/ConversationStore';
import { PullService } from './downloads';
import { EventHub } from './EventHub';
import { hardwareFromInventory } from './hardware';
import { silentLogger } from './logger';
import { Mai } from './Mai';
import { CatalogService } from './models/CatalogService';
import { measurementsFileName } from './models/measurementStore';
import { powerAwareTier } from './models/powerPreference';
import { createHandlers, dispatch } from './requests/handlers';
import { createGpuSampler } from './resources/gpu/createGpuSampler';
import { createHostSampler } from './resources/hostSampler';
import { createOwnUsage } from './resources/ownUsage';
import { readInventory } from './resources/inventory';
import { cachedInventory, machineSignature } from './resources/inventoryCache';
import { ResourceMonitor } from './resources/ResourceMonitor';
import { createPowerSampler } from './resources/power/createPowerSampler';
import { readSettings } from './settings';
import { TierDetector } from './tiers';
import { maiVersion } from './version';

export type { EventListener } from './brainEvents';

import type { Brain, BrainDeps } from './BrainDeps';

export type { Brain, BrainDeps, BrainEnv } from './BrainDeps';

export function createBrain(deps: BrainDeps = {}): Brain {
  const env = deps.env ?? process.env;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const version = deps.version ?? maiVersion;
  const maiHome = deps.maiHome ?? resolveMaiHome(env, process.platform, os.homedir());
  const config =
    deps.config ??
    loadConfig(
      { defaultsDir: deps.configDefaultsDir ?? shippedConfigDir(env), userDir: userConfigDir(maiHome) },
      { file: path.join(maiHome, 'cache', 'config.json'), maiVersion: version },
    );
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
    host:
      deps.hostSampler ??
      createHostSampler({
        enginePids: own.enginePids,
        table: own.table,
        ...(deps.cpuBaseline ? { baseline: deps.cpuBaseline } : {}),
      }),
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
    (async () => {
      const liveGpus = monitor.snapshot()?.gpus ?? [];
      const inventory = await cachedInventory(() => readInventory({ liveGpus }), {
        file: path.join(maiHome, 'cache', 'inventory.json'),
        machine: machineSignature(version, liveGpus),
      });
      return hardwareFromInventory(inventory);
    });
  const tiers = new TierDetector(config.tiers, readHardware);
  const backends = deps.backends ?? createDefaultBackends({ maiHome, logger, env, hosts: config.hosts });
  const catalog = new CatalogService({
    backends,
    models: config.models,
    sample: async () => monitor.snapshot() ?? (await monitor.sampleNow()),
    clock,
    logger,
    measurementsFile: path.join(maiHome, measurementsFileName),
    // On battery the power policy may keep models off the GPU; the catalog then estimates them in RAM, as they load.
    gpuOffload: () => powerAwareTier(tiers, config.tiers, monitor.snapshot()?.power).gpuOffload,
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
    neighbours: own.neighbours,
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
