/**
 * Every request of the contract, answered. The map is typed by the contract, so a request without a handler, or a
 * handler whose answer drifts from its schema, fails to compile; `dispatch` checks the answer again at run time.
 */
import {
  parseResponse,
  type ConfigErrorInfo,
  type Request,
  type RequestName,
  type RequestPayload,
  type ResourceSample,
  type ResponseValue,
  type Result,
  type Status,
} from '../../shared/contract';
import type { ChatService } from '../answer/ChatService';
import { recommendDownloads, type PullService } from '../downloads';
import type { ModelsConfig } from '../config';
import type { Logger } from '../logger';
import type { Mai } from '../Mai';
import type { CatalogService } from '../models/CatalogService';
import { moodOf, personalityLine } from '../personality';
import type { ResourceMonitor } from '../resources/ResourceMonitor';
import type { TierDetector } from '../tiers';
import { decisionsOf } from '../conversation/switchDecisions';
import { errorResult } from './errorResult';
import { switchModel } from './switchModel';

export type RequestHandlers = {
  [N in RequestName]: (payload: RequestPayload<N>) => Promise<ResponseValue<N>> | ResponseValue<N>;
};

export interface HandlerParts {
  mai: Mai;
  chat: ChatService;
  catalog: CatalogService;
  monitor: ResourceMonitor;
  tiers: TierDetector;
  pulls: PullService;
  models: ModelsConfig;
  configErrors: readonly ConfigErrorInfo[];
  version: string;
  /** What is taking the machine, in words, while it is under pressure (resources/PressureAttribution). */
  pressureCause?: (sample: ResourceSample) => string | null;
}

export function createHandlers(parts: HandlerParts): RequestHandlers {
  const { mai, catalog, monitor, tiers } = parts;
  const sample = async (): Promise<ResourceSample> => monitor.snapshot() ?? (await monitor.sampleNow());

  async function status(): Promise<Status> {
    const resources = await sample();
    return {
      app: { name: 'Mai', version: parts.version },
      resources,
      tier: tiers.currentTier(),
      scalingThresholds: tiers.scalingThresholds(),
      config: { errors: [...parts.configErrors] },
      backends: await catalog.statuses(),
      model: mai.modelState(),
      decisions: mai.decisions.recent(),
      personality: personalityLine(
        resources,
        tiers.scalingThresholds(),
        mai.manager.current()?.key ?? null,
        parts.pressureCause?.(resources) ?? null,
      ),
      mood: moodOf(resources, tiers.scalingThresholds()),
    };
  }

  return {
    'status.get': status,
    'resources.history': ({ windowMs }) => ({ samples: monitor.samplesWithin(windowMs) }),
    'models.list': async () => ({ models: await catalog.list() }),
    'models.switch': ({ key }) =>
      switchModel(
        {
          manager: mai.manager,
          decisions: mai.decisions,
          listCatalog: () => catalog.list(),
          modelState: () => mai.modelState(),
        },
        key,
      ),
    'models.preload': ({ key }) => mai.preloadModel(key),
    'models.recommended': async () => {
      const models = await catalog.list();
      const tier = tiers.currentTier();
      return {
        recommendations: recommendDownloads({
          models: parts.models.models,
          presentKeys: new Set(models.map((m) => m.key)),
          sample: await sample(),
          tier: tier ? { name: tier.name, preferredCategories: tiers.preferredCategories() } : null,
        }),
      };
    },
    'models.pull': ({ key, sha256 }) => parts.pulls.pull(key, { sha256: sha256 ?? null }),
    'models.pullCancel': () => ({ cancelled: parts.pulls.cancel() }),
    'chat.send': ({ text }) => parts.chat.chat(text),
    'chat.regenerate': ({ model }) =>
      parts.chat.answer({ kind: 'regenerate', ...(model === undefined ? {} : { modelKey: model }) }),
    'chat.edit': ({ messageId, text }) => parts.chat.answer({ kind: 'edit', messageId, text }),
    'chat.cancel': () => ({ cancelled: parts.chat.cancel() }),
    'conversations.list': async () => ({ conversations: await mai.conversation.store.list() }),
    'conversations.new': () => ({ id: mai.conversation.startNew() }),
    'conversations.rename': ({ id, title }) => mai.conversation.store.rename(id, title),
    'conversations.delete': ({ id }) => {
      mai.conversation.delete(id);
      return { deleted: true as const };
    },
    'conversations.restore': ({ id }) => mai.conversation.store.restore(id),
    'conversations.search': async ({ query }) => ({ results: await mai.conversation.store.search(query) }),
    'conversations.open': ({ id }) => {
      const conversation = mai.conversation.open(id);
      return {
        id: conversation.id,
        messages: conversation.messages,
        switches: decisionsOf(conversation.id, conversation.records),
      };
    },
  };
}

/** Answers one request through its handler; every error comes back as a value, and so does an off-contract answer. */
export async function dispatch<N extends RequestName>(
  handlers: RequestHandlers,
  request: Request<N>,
  logger: Logger,
): Promise<Result<ResponseValue<N>>> {
  const handler: RequestHandlers[N] = handlers[request.name];
  try {
    return parseResponse(request.name, await handler(request.payload));
  } catch (error) {
    return errorResult(request.name, error, logger);
  }
}
