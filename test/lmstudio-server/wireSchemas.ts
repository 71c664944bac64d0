import { z } from 'zod';

/**
 * The parameter schemas LM Studio validates with (lmstudio-protocol.md §4–§5, from the SDK 1.5.0 bundle). The server
 * checks every inbound parameter against these, so an adapter that sends something LM Studio would ignore fails here.
 */

// eslint-disable-next-line no-control-regex -- "no control characters" is exactly the rule LM Studio applies
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;
const reasonableKeyString = z
  .string()
  .min(1)
  .max(1024)
  .refine((value) => value !== '__proto__' && !controlCharacters.test(value), 'not a reasonable key string');

export const modelDomainSchema = z.enum(['llm', 'embedding', 'imageGen', 'transcription', 'tts']);

export const modelQuerySchema = z.object({
  domain: modelDomainSchema.optional(),
  identifier: reasonableKeyString.optional(),
  path: reasonableKeyString.optional(),
  vision: z.boolean().optional(),
});
export type ModelQuery = z.infer<typeof modelQuerySchema>;

export const modelSpecifierSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('query'), query: modelQuerySchema }),
  z.object({ type: z.literal('instanceReference'), instanceReference: z.string() }),
]);
export type ModelSpecifier = z.infer<typeof modelSpecifierSchema>;

export const kvConfigSchema = z.object({ fields: z.array(z.object({ key: z.string(), value: z.any() })) });
export type KvConfig = z.infer<typeof kvConfigSchema>;

const kvLayerNames = [
  'currentlyEditing',
  'currentlyLoaded',
  'apiOverride',
  'conversationSpecific',
  'conversationGlobal',
  'preset',
  'serverSession',
  'httpServerRequestOverride',
  'completeModeFormatting',
  'instance',
  'userModelDefault',
  'virtualModel',
  'modelDefault',
  'hardware',
] as const;
export const kvConfigStackSchema = z.object({
  layers: z.array(z.object({ layerName: z.enum(kvLayerNames), config: kvConfigSchema })),
});
export type KvConfigStack = z.infer<typeof kvConfigStackSchema>;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const filePart = z.object({
  type: z.literal('file'),
  name: z.string(),
  identifier: z.string(),
  sizeBytes: z.number().int(),
  fileType: z.enum(['image', 'text/plain', 'application/pdf', 'application/word', 'text/other', 'unknown']),
});
const toolCallRequestPart = z.object({
  type: z.literal('toolCallRequest'),
  toolCallRequest: z.object({
    type: z.literal('function'),
    id: z.string().optional(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()).optional(),
  }),
});
const toolCallResultPart = z.object({
  type: z.literal('toolCallResult'),
  content: z.string(),
  toolCallId: z.string().optional(),
});
const chatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('assistant'), content: z.array(z.union([textPart, filePart, toolCallRequestPart])) }),
  z.object({ role: z.literal('user'), content: z.array(z.union([textPart, filePart])) }),
  z.object({ role: z.literal('system'), content: z.array(z.union([textPart, filePart])) }),
  z.object({ role: z.literal('tool'), content: z.array(toolCallResultPart) }),
]);
export const chatHistorySchema = z.object({ messages: z.array(chatMessageSchema) });
export type ChatHistory = z.infer<typeof chatHistorySchema>;

export const authPacketSchema = z.object({
  authVersion: z.literal(1),
  clientIdentifier: z.string().max(256),
  clientPasskey: z.string().max(256),
});

/** What the SDK may send once authenticated (§3.1); keepAlive is listed although 1.5.0 never sends it. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('communicationWarning'), warning: z.string() }),
  z.object({ type: z.literal('keepAlive') }),
  z.object({
    type: z.literal('channelCreate'),
    endpoint: z.string(),
    channelId: z.number().int(),
    creationParameter: z.unknown().optional(),
  }),
  z.object({
    type: z.literal('channelSend'),
    channelId: z.number().int(),
    message: z.unknown(),
    ackId: z.number().int().optional(),
  }),
  z.object({ type: z.literal('channelAck'), channelId: z.number().int(), ackId: z.number().int() }),
  z.object({
    type: z.literal('rpcCall'),
    endpoint: z.string(),
    callId: z.number().int(),
    parameter: z.unknown().optional(),
  }),
  z.object({
    type: z.literal('signalSubscribe'),
    endpoint: z.string(),
    subscribeId: z.number().int(),
    creationParameter: z.unknown().optional(),
  }),
  z.object({ type: z.literal('signalUnsubscribe'), subscribeId: z.number().int() }),
  z.object({
    type: z.literal('writableSignalSubscribe'),
    endpoint: z.string(),
    subscribeId: z.number().int(),
    creationParameter: z.unknown().optional(),
  }),
  z.object({ type: z.literal('writableSignalUnsubscribe'), subscribeId: z.number().int() }),
  z.object({
    type: z.literal('writableSignalUpdate'),
    subscribeId: z.number().int(),
    patches: z.array(z.unknown()),
    tags: z.array(z.string()),
  }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** The one message the client sends on an open channel in 1.5.0 (loadModel, getOrLoad, predict). */
export const cancelPacketSchema = z.object({ type: z.literal('cancel') });
