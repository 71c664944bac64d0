import {
  fail,
  parseResponse,
  type EventName,
  type EventPayload,
  type ParsedRequest,
  type Result,
  type Status,
} from '../shared/contract';
import { systemClock, type Clock } from './clock';
import { silentLogger, type Logger } from './logger';
import { createHostSampler } from './resources/hostSampler';
import { ResourceMonitor } from './resources/ResourceMonitor';
import { noGpuSampler, type GpuSampler, type HostSampler } from './resources/sampler';
import { maiVersion } from './version';

export interface BrainDeps {
  clock?: Clock;
  logger?: Logger;
  /** Live CPU/RAM source; /proc on Linux, os.* elsewhere by default. */
  hostSampler?: HostSampler;
  /** Live GPU source; none by default. */
  gpuSampler?: GpuSampler;
  sampleIntervalMs?: number;
  version?: string;
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
  const monitor = new ResourceMonitor({
    host: deps.hostSampler ?? createHostSampler(),
    gpu: deps.gpuSampler ?? noGpuSampler,
    clock,
    ...(deps.sampleIntervalMs === undefined ? {} : { sampleIntervalMs: deps.sampleIntervalMs }),
    onError: (error) => logger.warn('resource sample failed', { error: String(error) }),
  });

  async function status(): Promise<Status> {
    const resources = monitor.snapshot() ?? (await monitor.sampleNow());
    return { app: { name: 'Mai', version }, resources, tier: null, config: { errors: [] } };
  }

  async function answer(request: ParsedRequest): Promise<unknown> {
    switch (request.name) {
      case 'status.get':
        return status();
      case 'resources.history':
        return { samples: monitor.samplesWithin(request.payload.windowMs) };
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
    start: () => monitor.start(),

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
    },
  };
}
