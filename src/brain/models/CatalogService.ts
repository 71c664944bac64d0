/**
 * The catalog as it is now: every engine asked for its models at once, each on its own (one that fails or stalls
 * is left out and reported, never sinking the others), merged with models.yaml, estimated and checked for fit.
 */
import type { BackendStatus, ModelListing, ResourceSample } from '../../shared/contract';
import { estimateMemory, type EstimateRequest, type MemoryEstimate } from '../backends/estimate';
import type { BackendId, ModelBackend, ModelInfo } from '../backends/ModelBackend';
import type { Clock } from '../clock';
import type { ModelsConfig } from '../config';
import type { Logger } from '../logger';
import { buildCatalog, type BackendListing } from './catalog';
import { withMeasurement } from './measuredEstimate';
import { MeasurementStore } from './measurementStore';
import { LoadMeasurements, type MemoryReadings } from './measureLoad';

/**
 * Longest Mai waits for one engine's health or list before answering without it: 12 s. The LM Studio adapter puts
 * its own 10 s deadline on every SDK call; this is the net for an engine without one, just above it.
 */
export const listingDeadlineMs = 12_000;

/**
 * After an engine failed to list, Mai leaves it out for 30 s before asking again: a stuck LM Studio would otherwise
 * cost every message its full deadline, and 30 s is soon enough to notice it came back.
 */
export const listingRetryMs = 30_000;

export interface CatalogServiceDeps {
  backends: readonly ModelBackend[];
  models: ModelsConfig;
  sample: () => Promise<ResourceSample>;
  clock: Clock;
  logger: Logger;
  deadlineMs?: number;
  retryMs?: number;
  /** `$MAI_HOME/measurements.json`, where loads are remembered; absent: remembered in memory only. */
  measurementsFile?: string;
  /** How loads are measured (the process's /proc by default). */
  readings?: MemoryReadings;
  /** Whether models may go on the GPU now (the power policy may say no); yes by default. */
  gpuOffload?: () => boolean;
}

interface ListingProblem {
  reason: string;
  /** Monotonic ms after which the engine is asked again. */
  retryAtMs: number;
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

export class CatalogService {
  private readonly problems = new Map<BackendId, ListingProblem>();
  /** Engines asked for their models at least once: until then a health check alone cannot tell a stuck one. */
  private readonly listed = new Set<BackendId>();
  private readonly estimates = new Map<string, Promise<MemoryEstimate>>();
  private latestCatalog: ModelListing[] = [];
  /** What loads really took; the model manager reports each load here, estimates start from it. */
  readonly measurements: LoadMeasurements;

  constructor(private readonly deps: CatalogServiceDeps) {
    this.measurements = new LoadMeasurements({
      store: new MeasurementStore(deps.measurementsFile ?? null),
      clock: deps.clock,
      ...(deps.readings ? { readings: deps.readings } : {}),
    });
  }

  /** The catalog from the last full listing (the scaler's 1 Hz check reads categories from it). */
  latest(): readonly ModelListing[] {
    return this.latestCatalog;
  }

  /** Lists afresh, optionally without some engines (those that went away while answering a message). */
  async list(excluded: ReadonlySet<BackendId> = new Set()): Promise<ModelListing[]> {
    const included = this.deps.backends.filter((b) => !excluded.has(b.id));
    const listings = await Promise.all(included.map((backend) => this.listOne(backend)));
    const catalog = await buildCatalog({
      listings,
      config: this.deps.models,
      sample: await this.deps.sample(),
      estimate: (model, request) => this.estimate(model, request),
      gpuOffload: this.deps.gpuOffload?.() ?? true,
    });
    if (excluded.size === 0) this.latestCatalog = catalog;
    return catalog;
  }

  /**
   * Each engine's health, with the reason where its last listing failed. An engine never listed yet is listed
   * first: one that greets but never sends its models (a stuck LM Studio) looks healthy until asked for them.
   */
  async statuses(): Promise<BackendStatus[]> {
    return Promise.all(
      this.deps.backends.map(async (backend) =>
        this.listed.has(backend.id) ? this.health(backend) : (await this.listOne(backend)).health,
      ),
    );
  }

  private async health(backend: ModelBackend): Promise<BackendStatus> {
    const problem = this.problems.get(backend.id);
    if (problem) return { id: backend.id, status: 'error', detail: problem.reason };
    return withDeadline(backend.health(), this.deps.deadlineMs ?? listingDeadlineMs, `${backend.id} health`).catch(
      (error: unknown): BackendStatus => ({ id: backend.id, status: 'error', detail: messageOf(error) }),
    );
  }

  private async listOne(backend: ModelBackend): Promise<BackendListing> {
    const problem = this.problems.get(backend.id);
    if (problem && this.deps.clock.monotonicMs() < problem.retryAtMs) {
      return { backend, health: { id: backend.id, status: 'error', detail: problem.reason }, models: [], loaded: [] };
    }
    this.problems.delete(backend.id);
    this.listed.add(backend.id);
    const health = await this.health(backend);
    if (health.status !== 'ready') return { backend, health, models: [], loaded: [] };
    const deadlineMs = this.deps.deadlineMs ?? listingDeadlineMs;
    try {
      const [models, loaded] = await withDeadline(
        Promise.all([backend.listModels(), backend.listLoaded()]),
        deadlineMs,
        `${backend.id} model list`,
      );
      return { backend, health, models, loaded };
    } catch (error) {
      const retryMs = this.deps.retryMs ?? listingRetryMs;
      const reason = `listing its models failed, so Mai answers without it for now (asked again in ${Math.round(retryMs / 1000)} s): ${messageOf(error)}`;
      this.problems.set(backend.id, { reason, retryAtMs: this.deps.clock.monotonicMs() + retryMs });
      this.deps.logger.warn(`${backend.id} left out of the catalog`, { error: messageOf(error) });
      return { backend, health: { id: backend.id, status: 'error', detail: reason }, models: [], loaded: [] };
    }
  }

  /**
   * What the model's last load took, moved to this context, where it was measured (and its file is unchanged);
   * else the engine's own estimate where one can read the file, else the formula.
   */
  private async estimate(model: ModelInfo, request: EstimateRequest): Promise<MemoryEstimate> {
    const estimate = await this.estimated(model, request);
    this.measurements.remember(model, request, estimate);
    const measurement = await this.measurements.lookup(model);
    if (!measurement) return estimate;
    const atMeasured =
      measurement.contextLength === request.contextLength
        ? estimate
        : await this.estimated(model, { ...request, contextLength: measurement.contextLength });
    return withMeasurement(estimate, atMeasured, measurement);
  }

  /** The engine's own estimate where one can read the file, else the formula; once per file and request. */
  private estimated(model: ModelInfo, request: EstimateRequest): Promise<MemoryEstimate> {
    // An engine estimate costs 30-200 ms; a model's file and the request decide it, so it is computed once.
    const key = `${model.backend}|${model.key}|${model.sizeBytes}|${request.contextLength}|${request.gpuLayers}`;
    let estimate = this.estimates.get(key);
    if (!estimate) {
      estimate = this.engineEstimate(model, request).then((engine) => engine ?? estimateMemory(model, request));
      this.estimates.set(key, estimate);
    }
    return estimate;
  }

  /** The model's own engine first, then any other that can estimate a GGUF file (the embedded one reads any). */
  private async engineEstimate(model: ModelInfo, request: EstimateRequest): Promise<MemoryEstimate | null> {
    const estimators = [...this.deps.backends].sort(
      (a, b) => Number(b.id === model.backend) - Number(a.id === model.backend),
    );
    for (const backend of estimators) {
      const estimate = await backend.estimateMemory?.(model, request).catch(() => null);
      if (estimate) return estimate;
    }
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
