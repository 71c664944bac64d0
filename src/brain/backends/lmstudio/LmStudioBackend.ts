import type { LMStudioClient } from '@lmstudio/sdk';
import type {
  BackendErrorCode,
  BackendHealth,
  ChatMessage,
  LoadedModel,
  LoadOptions,
  ModelBackend,
  ModelInfo,
  RespondOptions,
  RespondResult,
} from '../ModelBackend';
import { withDeadline } from './deadline';
import { withGgufProfiles, type ProfileCache } from './ggufProfiles';
import { resolveOptions, type LmStudioBackendOptions, type ResolvedOptions } from './lmStudioBackendOptions';
import { describeLoaded } from './loadedModels';
import { loadThroughSdk } from './loadThroughSdk';
import { LmStudioConnection } from './LmStudioConnection';
import { respondThroughSdk } from './respondThroughSdk';
import { toBackendError } from './sdkErrors';
import { toModelInfo } from './sdkMapping';

/** Mai's engine over LM Studio, through the official SDK with every one of its traps guarded. */
export function createLmStudioBackend(options: LmStudioBackendOptions = {}): ModelBackend {
  return new LmStudioBackend(options);
}

class LmStudioBackend implements ModelBackend {
  readonly id = 'lmstudio' as const;
  private readonly options: ResolvedOptions;
  private readonly connection: LmStudioConnection;
  /** What this backend loaded: close() unloads exactly these, never a model the person loaded in LM Studio. */
  private readonly loadedHere = new Set<string>();
  /** Answers in flight, cancelled on close so the SDK's dispose has nothing left open. */
  private readonly answering = new Map<AbortController, Promise<unknown>>();
  private readonly profileCache: ProfileCache = new Map();

  constructor(options: LmStudioBackendOptions) {
    this.options = resolveOptions(options);
    this.connection = new LmStudioConnection(this.options);
  }

  health(): Promise<BackendHealth> {
    return this.connection.health();
  }

  async listModels(): Promise<ModelInfo[]> {
    const models = await this.call('list the downloaded models', 'internal', async (client) =>
      (await client.system.listDownloadedModels('llm')).map(toModelInfo),
    );
    return withGgufProfiles(models, this.options.modelsDirs, this.profileCache);
  }

  listLoaded(): Promise<LoadedModel[]> {
    return this.call('list the loaded models', 'internal', async (client) => {
      // The LLM objects listLoaded returns carry no context length (§9.8): each instance is described on its own.
      const loaded = await client.llm.listLoaded();
      return Promise.all(loaded.map(({ identifier }) => this.describe(client, identifier)));
    });
  }

  load(key: string, options: LoadOptions = {}): Promise<LoadedModel> {
    const timeoutMs = options.timeoutMs ?? this.options.loadTimeoutMs;
    const work = async (client: LMStudioClient) => {
      const identifier = await loadThroughSdk(client, key, options, timeoutMs);
      this.loadedHere.add(identifier);
      return this.describe(client, identifier);
    };
    return this.call(`load ${key}`, 'load_failed', work, timeoutMs + this.options.callTimeoutMs);
  }

  unload(identifier: string): Promise<void> {
    return this.call(`unload ${identifier}`, 'internal', async (client) => {
      await client.llm.unload(identifier);
      this.loadedHere.delete(identifier);
    });
  }

  respond(identifier: string, messages: ChatMessage[], options: RespondOptions = {}): Promise<RespondResult> {
    const timings = { idleTimeoutMs: this.options.respondIdleTimeoutMs, cancelGraceMs: this.options.cancelGraceMs };
    const work = async (client: LMStudioClient) => {
      // Tracked so close() can cancel it; a person's own signal still cancels through the same controller.
      const stop = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
      const handle = client.llm.createDynamicHandle(identifier);
      const answering = respondThroughSdk(
        handle,
        identifier,
        messages,
        { ...options, signal },
        timings,
        this.options.logger,
      );
      this.answering.set(stop, answering);
      try {
        return await answering;
      } finally {
        this.answering.delete(stop);
      }
    };
    // respondThroughSdk bounds itself: by silence, not by the length of the answer.
    return this.call(`answer with ${identifier}`, 'internal', work, null);
  }

  countTokens(identifier: string, text: string): Promise<number> {
    return this.call(`count tokens with ${identifier}`, 'internal', (client) =>
      client.llm.createDynamicHandle(identifier).countTokens(text),
    );
  }

  async contextLength(identifier: string): Promise<number> {
    const loaded = await this.call(`read the context length of ${identifier}`, 'internal', (client) =>
      this.describe(client, identifier),
    );
    return loaded.contextLength;
  }

  async close(): Promise<void> {
    // Cancelled answers end as 'cancelled' with their text, before the sockets go (which would make them errors).
    for (const stop of this.answering.keys()) stop.abort();
    const answers = Promise.allSettled(this.answering.values());
    await withDeadline(answers, this.options.cancelGraceMs + 500, 'finish the answers in flight').catch(() => {});
    for (const identifier of this.loadedHere) {
      await this.unload(identifier).catch((error: unknown) =>
        this.options.logger.warn('could not unload on close', { identifier, error: String(error) }),
      );
    }
    await this.connection.close();
  }

  private describe(client: LMStudioClient, identifier: string): Promise<LoadedModel> {
    const handle = client.llm.createDynamicHandle(identifier);
    return describeLoaded(handle, identifier, this.options.callTimeoutMs, this.options.logger);
  }

  /**
   * Runs one operation on the attached client under a deadline (null: the operation bounds itself), naming any failure
   * and telling the connection when the failure means LM Studio went away.
   */
  private async call<T>(
    operation: string,
    fallback: BackendErrorCode,
    work: (client: LMStudioClient) => Promise<T>,
    timeoutMs: number | null = this.options.callTimeoutMs,
  ): Promise<T> {
    const client = await this.connection.client();
    try {
      const working = work(client);
      return await (timeoutMs === null ? working : withDeadline(working, timeoutMs, operation));
    } catch (error) {
      const named = toBackendError(error, operation, fallback);
      this.connection.reportFailure(client, named);
      throw named;
    }
  }
}
