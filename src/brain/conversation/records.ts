import { z } from 'zod';
import {
  AnswerSegmentSchema,
  ModelRefSchema,
  ResponseStatsSchema,
  type AnswerSegment,
  type ModelRef,
  type ResponseStats,
} from '../../shared/contract';
import { ConversationError } from './ConversationError';
import { isConversationId, isMessageId } from './ids';

/**
 * The lines of a conversation file (`<maiHome>/conversations/<id>.jsonl`), one JSON object per line, in the order
 * they happened. Files are only ever appended to, so a record, once written, is never rewritten. Every line read
 * back is checked against these schemas; one that fails (a torn write, a newer Mai's record type) is skipped and
 * reported, never fatal.
 */

const conversationId = z.string().refine(isConversationId, 'must be a conversation id');
const messageId = z.string().refine(isMessageId, 'must be a message id');
const atMs = z.number().finite();
const tokens = z.number().int().nonnegative();

export { ModelRefSchema, type ModelRef };

export const CreatedRecordSchema = z.object({
  type: z.literal('created'),
  id: conversationId,
  atMs,
  title: z.string().optional(),
});

export const MessageRecordSchema = z.object({
  type: z.literal('message'),
  id: messageId,
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  /** A thinking model's reasoning before this answer, kept out of `content` (and out of later prompts). */
  reasoning: z.string().optional(),
  atMs,
  /** The model that wrote an assistant message (the one that finished it, when several did). */
  model: ModelRefSchema.optional(),
  stats: ResponseStatsSchema.optional(),
  /**
   * An answer handed from model to model mid-way: each one's part, in order, with the model that wrote it and why
   * it ended; `content` is their concatenation. Absent for an answer one model wrote (and in files before it).
   */
  segments: z.array(AnswerSegmentSchema).optional(),
});

/** What fitContext chose for one turn: which messages the model saw, and which it did not. */
export const ContextRecordSchema = z.object({
  type: z.literal('context'),
  atMs,
  model: ModelRefSchema,
  keptMessageIds: z.array(messageId),
  droppedMessageIds: z.array(messageId),
  /** The condensation note sent in place of the dropped messages. */
  condensed: z.string().optional(),
  /** The message whose start was cut because it alone did not fit. */
  truncatedMessageId: messageId.optional(),
  promptTokens: tokens,
  windowTokens: tokens,
  reserveForAnswerTokens: tokens.optional(),
  /** False when even the latest turn could not be made to fit (the turn was not sent). */
  fits: z.boolean().optional(),
  /** fitContext's own account of what it did. */
  reason: z.string().optional(),
});

/**
 * One of Mai's model decisions (the contract's Decision, as the dashboard shows it), so a UI can put a quiet marker
 * in the chat where a switch happened. Models are named by catalog key, as in the decision log.
 */
export const SwitchRecordSchema = z.object({
  type: z.literal('switch'),
  /** The decision's id; absent in files written before decisions had one. */
  id: z.string().min(1).optional(),
  atMs,
  /** The decision's kind (pin, switch, failure, …); absent in older files, where the trigger tells it. */
  kind: z.string().min(1).optional(),
  /** null when no model was loaded before. */
  from: z.string().nullable(),
  /** null when a model failed and nothing replaced it yet. */
  to: z.string().nullable(),
  /**
   * The scaler's trigger, e.g. "sustained_memory", "failure", "pressure_cleared", "manual". Free text here, not the
   * contract's enum, so a file written by another version of Mai still reads.
   */
  trigger: z.string().min(1),
  /** For a person: why. */
  reason: z.string(),
  /** The numbers behind the decision (memory %, load ms, …). */
  figures: z.record(z.string(), z.number()).optional(),
});

/** A rename: the latest one is the conversation's title, over the one given at creation and the derived one. */
export const TitleRecordSchema = z.object({ type: z.literal('title'), atMs, title: z.string().trim().min(1).max(200) });

/**
 * A deletion (a tombstone) and its undo: the latest of the two says whether the conversation is listed. A record
 * rather than a file removal or move, so deleting is one more O_APPEND line with the same crash safety as every
 * other (a crash leaves it deleted or not, never half), the undo is another line, and nothing is lost until a
 * later clean-up chooses to remove tombstoned files.
 */
export const DeletedRecordSchema = z.object({ type: z.literal('deleted'), atMs });
export const RestoredRecordSchema = z.object({ type: z.literal('restored'), atMs });

/**
 * The current branch ends before `messageId`: it and every message after it are replaced by what follows this
 * record (an edited question and its new answer, or a regenerated answer). The replaced messages stay in the file,
 * so the file stays append-only; `messages` of a loaded conversation is the current branch only.
 */
export const SupersedeRecordSchema = z.object({
  type: z.literal('supersede'),
  atMs,
  messageId,
  reason: z.enum(['edit', 'regenerate']),
});

export const ConversationRecordSchema = z.discriminatedUnion('type', [
  CreatedRecordSchema,
  MessageRecordSchema,
  ContextRecordSchema,
  SwitchRecordSchema,
  TitleRecordSchema,
  DeletedRecordSchema,
  RestoredRecordSchema,
  SupersedeRecordSchema,
]);

export type CreatedRecord = z.infer<typeof CreatedRecordSchema>;
export type MessageRecord = z.infer<typeof MessageRecordSchema>;
export type ContextRecord = z.infer<typeof ContextRecordSchema>;
export type SwitchRecord = z.infer<typeof SwitchRecordSchema>;
export type SupersedeRecord = z.infer<typeof SupersedeRecordSchema>;
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>;

/** What a caller gives `appendMessage`; the store adds the type, the time and (unless given) the id. */
export interface NewMessage {
  role: MessageRecord['role'];
  content: string;
  reasoning?: string;
  id?: string;
  model?: ModelRef;
  stats?: ResponseStats;
  segments?: AnswerSegment[];
}
export type NewContext = Omit<ContextRecord, 'type' | 'atMs'>;
/** A decision as the decision log holds it: its own atMs is kept, so the chat's marker and the dashboard agree. */
export type NewSwitch = Omit<SwitchRecord, 'type' | 'atMs'> & { atMs?: number };

/** The record as it will be stored, checked first: the store never writes a line it would refuse to read. */
export function storedRecord(record: ConversationRecord): ConversationRecord {
  const parsed = ConversationRecordSchema.safeParse(record);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new ConversationError('bad_record', `cannot store this ${record.type} record: ${detail}`);
}
