/**
 * The one contract between any UI (Electron renderer, browser, CLI attach) and the brain.
 * Every request and event is declared here with a zod schema; both transports (Electron IPC and the
 * web bridge) validate every inbound payload against it. Types come from z.infer, never by hand.
 */
import { z } from 'zod';

const bytes = z.number().nonnegative();

/** A SHA-256 as hex, either case: how models.yaml, `mai pull --sha256` and models.pull write a checksum. */
export const sha256HexPattern = /^[0-9a-f]{64}$/i;
const percent = z.number().min(0).max(100);

/**
 * The engines Mai drives; every schema and the brain's own types name them through this one enum. `ollama` and
 * `openai` (any OpenAI-compatible server: llama.cpp's, vLLM, LocalAI, LM Studio's REST) are reached over HTTP.
 */
export const BackendIdSchema = z.enum(['lmstudio', 'embedded', 'ollama', 'openai']);
export type BackendId = z.infer<typeof BackendIdSchema>;

/** A model as Mai names it everywhere: its catalog key and the engine that runs it. */
export const ModelRefSchema = z.object({ key: z.string().min(1), backend: BackendIdSchema });
export type ModelRef = z.infer<typeof ModelRefSchema>;

export const StopReasonSchema = z.enum(['eos', 'maxTokens', 'cancelled', 'contextFull', 'error', 'other']);
export type StopReason = z.infer<typeof StopReasonSchema>;

/** One answer's figures, as the engine reported them; stored with the message and sent to UIs unchanged. */
export const ResponseStatsSchema = z.object({
  tokensPerSecond: z.number().nullable(),
  timeToFirstTokenMs: z.number().nullable(),
  predictedTokens: z.number(),
  promptTokens: z.number().nullable(),
  stopReason: StopReasonSchema,
});
export type ResponseStats = z.infer<typeof ResponseStatsSchema>;

export const GpuSampleSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  vendor: z.enum(['nvidia', 'amd', 'intel', 'apple', 'other']),
  vramTotalBytes: bytes,
  vramUsedBytes: bytes,
  vramFreeBytes: bytes,
  /** null where the platform gives no figure (e.g. AMD without gpu_busy_percent). */
  utilizationPercent: percent.nullable(),
  temperatureC: z.number().nullable(),
  /**
   * Runtime-suspended (Linux runtime PM): Mai did not read it, because any driver query would wake it (+5-25 W on a
   * laptop). The figures are the last read before it slept (zeros if none). Absent: awake, or not known to sleep.
   */
  asleep: z.boolean().optional(),
  /** The figures are not from this sample's read (the card sleeps, or its driver did not answer in time). */
  stale: z.boolean().optional(),
});
export type GpuSample = z.infer<typeof GpuSampleSchema>;

/**
 * Where the machine draws power from, read every few tens of seconds (it changes slowly): on battery, Mai follows
 * the tier's `on_battery` preferences. `unknown` where the platform does not say (desktops report `ac`).
 */
export const PowerStateSchema = z.object({
  source: z.enum(['ac', 'battery', 'unknown']),
  /** Charge of all batteries together, 0-100; null without a battery or where the platform gives no figure. */
  batteryPercent: percent.nullable(),
});
export type PowerState = z.infer<typeof PowerStateSchema>;

export const ResourceSampleSchema = z.object({
  /** Wall-clock time of the sample, ms since the epoch (for display; trends use the monotonic clock). */
  atMs: z.number(),
  cpu: z.object({
    percent,
    cores: z.number().int().positive(),
    /**
     * The share of the machine's CPU that is Mai's own: its process (the embedded engine's threads included) and,
     * while Mai answers through a local LM Studio, LM Studio's processes. `percent` minus this is other programs'
     * CPU, the pressure Mai reacts to. Absent from brains before it (and from scripted machines that leave it out).
     */
    maiPercent: percent.optional(),
  }),
  memory: z.object({
    totalBytes: bytes,
    /** The kernel's MemAvailable meaning on Linux: what can be allocated without swapping, page cache included. */
    availableBytes: bytes,
    usedPercent: percent,
    /** Resident memory of Mai's own process. */
    maiBytes: bytes,
    /** What the current model takes (its measured or estimated RAM), and which process holds it; absent: none. */
    modelBytes: bytes.optional(),
    /** `mai`: the embedded engine, inside Mai's process; `other`: another program (LM Studio, Ollama). */
    modelIn: z.enum(['mai', 'other']).optional(),
  }),
  swap: z.object({ totalBytes: bytes, usedBytes: bytes }),
  gpus: z.array(GpuSampleSchema),
  /** The power source as last read (absent where no power sampler runs, and from brains before it). */
  power: PowerStateSchema.optional(),
});
export type ResourceSample = z.infer<typeof ResourceSampleSchema>;

export const TierSchema = z.object({
  name: z.string(),
  reasons: z.array(z.string()),
});
export type TierInfo = z.infer<typeof TierSchema>;

export const ConfigErrorSchema = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  path: z.string(),
  message: z.string(),
});
export type ConfigErrorInfo = z.infer<typeof ConfigErrorSchema>;

const EngineStateSchema = z.enum(['ready', 'connecting', 'unavailable', 'error']);

/**
 * Another machine whose engine Mai uses (`$MAI_HOME/config/hosts.yaml`), as the engine last answered. Never carries
 * the host's token; the URL is shown without credentials.
 */
export const HostStatusSchema = z.object({
  name: z.string(),
  kind: BackendIdSchema,
  url: z.string(),
  status: EngineStateSchema,
  detail: z.string(),
  /** Models it offers and how many of them are loaded, at the last listing. */
  models: z.number().int().nonnegative(),
  loaded: z.number().int().nonnegative(),
  /** What its loaded models use (where the engine says, e.g. Ollama), and what it has for models (hosts.yaml). */
  memory: z.object({ usedBytes: bytes.nullable(), capacityBytes: bytes.nullable() }),
});
export type HostStatus = z.infer<typeof HostStatusSchema>;

export const BackendStatusSchema = z.object({
  id: BackendIdSchema,
  status: EngineStateSchema,
  /** For a person: where it is, or why it is not there and what to do. */
  detail: z.string(),
  /** The other machines this engine is reached on, when hosts.yaml names any. */
  hosts: z.array(HostStatusSchema).optional(),
});
export type BackendStatus = z.infer<typeof BackendStatusSchema>;

export const ModelListingSchema = z.object({
  key: z.string(),
  displayName: z.string(),
  backend: BackendIdSchema,
  category: z.enum(['small', 'medium', 'large']),
  sizeBytes: bytes,
  contextWindow: z.number().int().positive().nullable(),
  capabilities: z.array(z.string()),
  /**
   * This machine's memory at the context Mai would load it with (zero for a model on another host: see `host`); null
   * for a model Mai cannot use.
   */
  estimate: z
    .object({
      ramBytes: bytes,
      vramBytes: bytes,
      contextLength: z.number().int().positive(),
      /** How: through the engine, from GGUF metadata, from the listing's size, or from a measured load. */
      method: z.enum(['engine', 'formula', 'size', 'measured']),
      /**
       * Whether the figure is what the model's last load really took (moved to this context by the estimate), or
       * an estimate. Every brain sends it; brains before it did not (read its absence as an estimate).
       */
      source: z.enum(['estimate', 'measured']).optional(),
    })
    .nullable(),
  /** Whether it fits the machine as it is now, keeping the safety margins free. */
  fits: z.boolean(),
  /** Why it fits or not (or why it is unusable), for a person. */
  reason: z.string(),
  loaded: z.boolean(),
  usable: z.boolean(),
  /**
   * The machine it runs on when that is not this one (a host of hosts.yaml, or an OpenAI-compatible server, whose
   * memory is never this machine's): its name, and memory there where known. Absent: it runs here. A model on a
   * host of hosts.yaml is keyed `<host>/<model>`, so the same model on two hosts stays two entries.
   */
  host: z
    .object({
      name: z.string(),
      /** What the model needs there (Mai's estimate, or what the engine reports for a loaded one). */
      needsBytes: bytes.nullable(),
      /** What the host has free for models: its capacity (hosts.yaml) less what its loaded models use. */
      freeBytes: z.number().nullable(),
    })
    .optional(),
});
export type ModelListing = z.infer<typeof ModelListingSchema>;

/**
 * What a decision did, so a UI never infers it from its fields:
 * - `pin`: a person pinned a model; `automatic`: a person gave the choice back to Mai;
 * - `selection`: Mai chose the model for a message; `degraded`: nothing fit, so the smallest with a small window;
 * - `switch`: Mai moved to another model (pressure, a cleared machine, or a fallback after a failure);
 * - `failure`: a model failed while answering (`to` is null: what replaces it is the next decision);
 * - `step`: the same model made lighter or given back what a step took (a smaller window, a quantized KV cache,
 *   layers off the GPU), a cheaper answer to pressure than a switch: `from` and `to` are the same key, the reason
 *   names the step, the figures hold its estimated saving;
 * - `aside`: another program took memory fast and no step could make room, so Mai stepped aside for it: to the
 *   smallest model that fits (`to`), or none (`to` is null). The reason names the program; Mai comes back with a
 *   `switch` (trigger `neighbour_receded`) once that program has given its memory back.
 */
export const DecisionKindSchema = z.enum([
  'pin',
  'automatic',
  'selection',
  'switch',
  'failure',
  'degraded',
  'step',
  'aside',
]);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

export const DecisionTriggerSchema = z.enum([
  'selection',
  'manual',
  'sustained_memory',
  'sustained_cpu',
  'memory_trend',
  'failure',
  'slow_generation',
  'pressure_cleared',
  'degraded',
  'neighbour_receded',
]);
export type DecisionTrigger = z.infer<typeof DecisionTriggerSchema>;

/** One model decision, as the dashboard's log and the chat's quiet markers show it. */
export const DecisionSchema = z.object({
  /** Unique within this Mai's history (conversation files included), so UIs can tell a replay from a new one. */
  id: z.string().min(1),
  atMs: z.number(),
  kind: DecisionKindSchema,
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** What set it off: a person (`manual`), a message (`selection`), or one of the scaler's rules. */
  trigger: DecisionTriggerSchema,
  reason: z.string(),
  figures: z.record(z.string(), z.number()),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const ModelStateSchema = z.object({
  current: z.object({ key: z.string(), backend: BackendIdSchema, contextLength: z.number().int() }).nullable(),
  mode: z.enum(['auto', 'pinned']),
  /** The model pinned by request (loaded at the next message if it is not yet), or null in automatic mode. */
  pinnedKey: z.string().nullable(),
  /** Why this model (or why none): the last decision's reason. */
  reason: z.string(),
});
export type ModelState = z.infer<typeof ModelStateSchema>;

/** A model Mai can fetch for this machine (`mai models --recommended`, the UI's empty state). */
export const RecommendationSchema = z.object({
  key: z.string(),
  displayName: z.string(),
  category: z.enum(['small', 'medium', 'large']),
  uri: z.string(),
  sizeBytes: bytes,
  estimate: z.object({ ramBytes: bytes, vramBytes: bytes, contextLength: z.number().int().positive() }),
  fits: z.boolean(),
  /** Its category is one the machine's tier prefers. */
  preferred: z.boolean(),
  reason: z.string(),
});
export type RecommendationView = z.infer<typeof RecommendationSchema>;

export const PullResultSchema = z.object({
  key: z.string(),
  path: z.string(),
  sizeBytes: bytes,
  sha256: z.string(),
  /** Matched a published checksum (false: none was known for a bare URI). */
  verified: z.boolean(),
  alreadyPresent: z.boolean(),
  resumedFromBytes: bytes,
});
export type PullResultView = z.infer<typeof PullResultSchema>;

export const PullProgressSchema = z.object({
  key: z.string(),
  phase: z.enum(['downloading', 'verifying', 'done', 'failed', 'cancelled']),
  receivedBytes: bytes,
  totalBytes: bytes.nullable(),
  bytesPerSecond: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** Why it stopped, for failed and cancelled. */
  message: z.string().nullable(),
});
export type PullProgressView = z.infer<typeof PullProgressSchema>;

/**
 * Why one model's part of an answer ended: the engine's own stop, or a handoff to the next model because this one
 * failed mid-answer (`failed`: disconnect, crash, load lost), slowed far below its usual speed (`slow`), or repeated
 * itself (`repetition`). A reason this brain does not know (a newer Mai's, read from its file) reads as `other`.
 */
export const SegmentEndReasonSchema = z
  .enum([...StopReasonSchema.options, 'failed', 'slow', 'repetition'])
  .catch('other');
export type SegmentEndReason = z.infer<typeof SegmentEndReasonSchema>;

/** One model's part of an answer: an answer handed from model to model mid-way is their parts in order. */
export const AnswerSegmentSchema = z.object({
  model: ModelRefSchema,
  text: z.string(),
  endReason: SegmentEndReasonSchema,
  /** For a person, where the part was handed on: what went wrong. */
  reason: z.string().optional(),
});
export type AnswerSegment = z.infer<typeof AnswerSegmentSchema>;

export const ChatMessageSchema = z.object({
  id: z.string(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  /** A thinking model's reasoning before this answer, apart from it. */
  reasoning: z.string().optional(),
  atMs: z.number(),
  /** The model that wrote an assistant message. */
  model: ModelRefSchema.optional(),
  stats: ResponseStatsSchema.optional(),
  /** An answer more than one model wrote (handed on mid-answer): each one's part; `content` is their concatenation. */
  segments: z.array(AnswerSegmentSchema).optional(),
});
export type ChatMessageView = z.infer<typeof ChatMessageSchema>;

export const ChatResultSchema = z.object({
  conversationId: z.string(),
  text: z.string(),
  reasoning: z.string().optional(),
  /** The model that finished the answer (the last segment's). */
  model: ModelRefSchema,
  /** The finishing model's figures. */
  stats: ResponseStatsSchema,
  /** Each model's part of the answer, in order; `text` is their concatenation. Absent from brains before it. */
  segments: z.array(AnswerSegmentSchema).optional(),
  switches: z.array(DecisionSchema),
  /** The stored answer's id and the id of the user message it answers, so a UI can edit or copy by them. */
  messageId: z.string().optional(),
  userMessageId: z.string().optional(),
});
export type ChatResultView = z.infer<typeof ChatResultSchema>;

export const ConversationSummarySchema = z.object({
  id: z.string(),
  title: z.string().nullable(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  messageCount: z.number().int(),
});
export type ConversationSummaryView = z.infer<typeof ConversationSummarySchema>;

/** A conversation found by conversations.search: the text around the first match, and the message it is in. */
export const ConversationHitSchema = ConversationSummarySchema.extend({
  snippet: z.string(),
  /** null when only the title matched. */
  messageId: z.string().nullable(),
});
export type ConversationHitView = z.infer<typeof ConversationHitSchema>;

/** The tier's scaling thresholds: above them, sustained, Mai switches to a smaller model. */
export const ScalingThresholdsSchema = z.object({ memoryPercent: percent, cpuPercent: percent });
export type ScalingThresholdsView = z.infer<typeof ScalingThresholdsSchema>;

export const MoodSchema = z.enum(['relaxed', 'comfortable', 'stretched', 'strained']);
export type Mood = z.infer<typeof MoodSchema>;

export const StatusSchema = z.object({
  app: z.object({ name: z.literal('Mai'), version: z.string() }),
  resources: ResourceSampleSchema,
  /** null until the tier detector has run (it needs the static inventory). */
  tier: TierSchema.nullable(),
  /** The thresholds in force (the current tier's; the lowest tier's until it is known), for the dashboard's lines. */
  scalingThresholds: ScalingThresholdsSchema,
  config: z.object({ errors: z.array(ConfigErrorSchema) }),
  backends: z.array(BackendStatusSchema),
  model: ModelStateSchema,
  /** The most recent decisions, oldest first. */
  decisions: z.array(DecisionSchema),
  /** Mai's one-line status in its own voice. */
  personality: z.string(),
  /**
   * How close the machine is to the tier's thresholds (what the status line words): far below (relaxed,
   * comfortable), within the scaler's band below one (stretched), at or over one (strained).
   */
  mood: MoodSchema,
});
export type Status = z.infer<typeof StatusSchema>;

const EmptySchema = z.object({}).strict();

/** Every request: its payload schema and its response schema. */
export const requestSchemas = {
  'status.get': { payload: EmptySchema, response: StatusSchema },
  'resources.history': {
    payload: z
      .object({
        windowMs: z
          .number()
          .int()
          .positive()
          .max(60 * 60 * 1000),
      })
      .strict(),
    response: z.object({ samples: z.array(ResourceSampleSchema) }),
  },
  'models.list': { payload: EmptySchema, response: z.object({ models: z.array(ModelListingSchema) }) },
  /** Load a model beside the current one so a later switch is instant; refused when it would create pressure. */
  'models.preload': {
    payload: z.object({ key: z.string().min(1).max(512) }).strict(),
    response: z.object({ preloading: z.boolean(), reason: z.string() }),
  },
  /** Answers one message in the current conversation; the text streams as `chat.fragment` events meanwhile. */
  'chat.send': {
    payload: z.object({ text: z.string().min(1).max(100_000) }).strict(),
    response: ChatResultSchema,
  },
  /**
   * Answers the last message again, replacing the answer after it (kept in the file as superseded); `model` names
   * the model for this answer only (else Mai chooses as for any message). Streams as `chat.fragment` like chat.send.
   */
  'chat.regenerate': {
    payload: z.object({ model: z.string().min(1).max(512).optional() }).strict(),
    response: ChatResultSchema,
  },
  /** Replaces one of the person's messages in the current conversation and answers again from there. */
  'chat.edit': {
    payload: z.object({ messageId: z.string().min(1).max(100), text: z.string().min(1).max(100_000) }).strict(),
    response: ChatResultSchema,
  },
  /** Cancels the answer in progress (the partial text is discarded; the user's message stays). */
  'chat.cancel': { payload: EmptySchema, response: z.object({ cancelled: z.boolean() }) },
  'conversations.list': {
    payload: EmptySchema,
    response: z.object({ conversations: z.array(ConversationSummarySchema) }),
  },
  /** Starts a new conversation and makes it current. */
  'conversations.new': { payload: EmptySchema, response: z.object({ id: z.string() }) },
  /** Makes a conversation current and returns its messages and the decisions taken in it (the quiet markers). */
  'conversations.open': {
    payload: z.object({ id: z.string().min(1).max(100) }).strict(),
    response: z.object({ id: z.string(), messages: z.array(ChatMessageSchema), switches: z.array(DecisionSchema) }),
  },
  'conversations.rename': {
    payload: z.object({ id: z.string().min(1).max(100), title: z.string().trim().min(1).max(200) }).strict(),
    response: ConversationSummarySchema,
  },
  /** Deletes a conversation (a tombstone in its file: conversations.restore undoes it). */
  'conversations.delete': {
    payload: z.object({ id: z.string().min(1).max(100) }).strict(),
    response: z.object({ deleted: z.literal(true) }),
  },
  'conversations.restore': {
    payload: z.object({ id: z.string().min(1).max(100) }).strict(),
    response: ConversationSummarySchema,
  },
  /** Conversations whose title or messages contain the text (any case), newest activity first. */
  'conversations.search': {
    payload: z.object({ query: z.string().min(1).max(500) }).strict(),
    response: z.object({ results: z.array(ConversationHitSchema) }),
  },
  /** Models Mai can download that suit this machine, best first. */
  'models.recommended': {
    payload: EmptySchema,
    response: z.object({ recommendations: z.array(RecommendationSchema) }),
  },
  /** Downloads a model (a models.yaml key with a download, or a URI) into Mai's models folder; progress as events. */
  'models.pull': {
    payload: z
      .object({
        key: z.string().min(1).max(2048),
        /** The checksum to verify a bare URI against (a models.yaml key brings its own). */
        sha256: z.string().regex(sha256HexPattern).optional(),
      })
      .strict(),
    response: PullResultSchema,
  },
  /** Stops the download in progress; its partial file is kept so the next pull resumes. */
  'models.pullCancel': { payload: EmptySchema, response: z.object({ cancelled: z.boolean() }) },
  /** Pin a model by key, or go back to automatic choice with "auto". */
  'models.switch': {
    payload: z.object({ key: z.string().min(1).max(512) }).strict(),
    response: ModelStateSchema,
  },
} as const;

/** Every event pushed from the brain to UIs. */
export const eventSchemas = {
  'resources.sample': ResourceSampleSchema,
  'model.decision': DecisionSchema,
  /** A piece of the answer being written. */
  'chat.fragment': z.object({ conversationId: z.string(), text: z.string() }),
  /** The answer so far was abandoned because its model failed; the fallback's answer follows. */
  'chat.restart': z.object({ conversationId: z.string(), reason: z.string() }),
  /**
   * The model writing the answer stopped mid-way (failed, slowed, looped) and the next one continues it: `text` is
   * the answer so far as kept (a loop's repeats taken out), the continuation's fragments follow it.
   */
  'chat.handoff': z.object({ conversationId: z.string(), text: z.string(), from: ModelRefSchema, reason: z.string() }),
  /** A model load's progress, 0..1. */
  'model.loadProgress': z.object({ key: z.string(), fraction: z.number().min(0).max(1) }),
  /** A download's progress: bytes, rate and ETA, then how it ended. */
  'model.pullProgress': PullProgressSchema,
} as const;

export type RequestName = keyof typeof requestSchemas;
export type EventName = keyof typeof eventSchemas;
export type RequestPayload<N extends RequestName> = z.infer<(typeof requestSchemas)[N]['payload']>;
export type ResponseValue<N extends RequestName> = z.infer<(typeof requestSchemas)[N]['response']>;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;

export const requestNames = Object.keys(requestSchemas) as RequestName[];
export const eventNames = Object.keys(eventSchemas) as EventName[];

export const ErrorCodeSchema = z.enum(['bad_request', 'unknown_request', 'unauthorized', 'unavailable', 'internal']);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/**
 * What went wrong, for a UI to act on without reading the message: no model can answer (`no_model`), Mai is busy
 * with another answer or download (`busy`), an engine went away (`backend_gone`), the model does not fit the
 * machine or the conversation does not fit the model (`does_not_fit`), the UI lost its connection (`disconnected`),
 * the person stopped it (`cancelled`).
 */
export const ErrorDetailSchema = z.enum([
  'no_model',
  'busy',
  'backend_gone',
  'does_not_fit',
  'disconnected',
  'cancelled',
]);
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ContractErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  detail: ErrorDetailSchema.optional(),
});
export type ContractError = z.infer<typeof ContractErrorSchema>;

/** Errors cross every transport as values, never as thrown text. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, detail?: ErrorDetail): { ok: false; error: ContractError } {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}

function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requestSchemas, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(eventSchemas, name);
}

/** One request with its payload; `invoke` is typed by it end to end, so its answer needs no cast. */
export interface Request<N extends RequestName = RequestName> {
  name: N;
  payload: RequestPayload<N>;
}

/** A request after validation: the name is known and the payload matches its schema. */
export type ParsedRequest = { [N in RequestName]: Request<N> }[RequestName];

/** Whatever answers the contract: the brain itself, or a client of one over a transport. */
export type Invoke = <N extends RequestName>(request: Request<N>) => Promise<Result<ResponseValue<N>>>;

/** Validates an inbound request from any transport; the error names what is wrong and where. */
export function parseRequest(name: unknown, payload: unknown): Result<ParsedRequest> {
  if (!isRequestName(name)) {
    return fail('unknown_request', `unknown request ${JSON.stringify(name)}; known: ${requestNames.join(', ')}`);
  }
  const parsed = requestSchemas[name].payload.safeParse(payload ?? {});
  if (!parsed.success) {
    return fail('bad_request', `invalid payload for ${name}: ${z.prettifyError(parsed.error)}`);
  }
  return ok({ name, payload: parsed.data } as ParsedRequest);
}

/** Validates a response before it leaves the brain, so a UI never receives an off-contract value. */
export function parseResponse<N extends RequestName>(name: N, value: unknown): Result<ResponseValue<N>> {
  const parsed = requestSchemas[name].response.safeParse(value);
  if (!parsed.success)
    return fail('internal', `response for ${name} broke the contract: ${z.prettifyError(parsed.error)}`);
  return ok(parsed.data as ResponseValue<N>);
}

/** Frames on the web bridge's WebSocket (Electron IPC carries the same request/result/event shapes natively). */
export const ClientFrameSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  name: z.string(),
  payload: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const EventEnvelopeSchema = z.object({
  name: z.string(),
  /** Increases by one per event name per connection; a UI can tell a gap or a replay. */
  seq: z.number().int().nonnegative(),
  payload: z.unknown(),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

export type ServerFrame =
  { type: 'response'; id: number; result: Result<unknown> } | ({ type: 'event' } & EventEnvelope);
