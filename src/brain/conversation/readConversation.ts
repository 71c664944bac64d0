import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { currentBranch, isDeleted } from './branch';
import { ConversationError } from './ConversationError';
import { parseRecords, type ReadIssue } from './parseRecords';
import type { ConversationRecord, MessageRecord } from './records';
import { summarize, type ConversationSummary } from './summarize';

export interface LoadedConversation extends ConversationSummary {
  /** Every readable record, in file order. */
  records: ConversationRecord[];
  /** The current branch: messages replaced by an edit or a regeneration are left out. */
  messages: MessageRecord[];
  /** A deletion not undone: the conversation is left out of lists and cannot be opened until restored. */
  deleted: boolean;
  /** Lines skipped while reading (a torn last line after a crash, …); empty for a healthy file. */
  issues: ReadIssue[];
}

/** A conversation file read whole; never throws on its content (see parseRecords), only when it cannot be read. */
export async function readConversation(id: string, filePath: string): Promise<LoadedConversation> {
  try {
    const [text, info] = await Promise.all([readFile(filePath, 'utf8'), stat(filePath)]);
    return fromText(id, text, info.mtimeMs);
  } catch (error) {
    throw notFoundOr(error, id);
  }
}

/** The same, synchronously: for the brain's turn, which needs the history before it can ask a model. */
export function readConversationSync(id: string, filePath: string): LoadedConversation {
  try {
    return fromText(id, readFileSync(filePath, 'utf8'), statSync(filePath).mtimeMs);
  } catch (error) {
    throw notFoundOr(error, id);
  }
}

function fromText(id: string, text: string, mtimeMs: number): LoadedConversation {
  const { records, issues } = parseRecords(text);
  return fromRecords(id, records, issues, mtimeMs);
}

/** A conversation from its records (pure): also how the store refreshes one it keeps open after an append. */
export function fromRecords(
  id: string,
  records: ConversationRecord[],
  issues: ReadIssue[],
  fallbackAtMs: number,
): LoadedConversation {
  const messages: MessageRecord[] = currentBranch(records);
  return { ...summarize(id, records, fallbackAtMs), records, messages, deleted: isDeleted(records), issues };
}

function notFoundOr(error: unknown, id: string): unknown {
  return errorCode(error) === 'ENOENT' ? new ConversationError('not_found', `no conversation "${id}"`) : error;
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
