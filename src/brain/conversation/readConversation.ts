import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ConversationError } from './ConversationError';
import { parseRecords, type ReadIssue } from './parseRecords';
import type { ConversationRecord, MessageRecord } from './records';
import { summarize, type ConversationSummary } from './summarize';

export interface LoadedConversation extends ConversationSummary {
  /** Every readable record, in file order. */
  records: ConversationRecord[];
  messages: MessageRecord[];
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
  const messages = records.filter((record): record is MessageRecord => record.type === 'message');
  return { ...summarize(id, records, mtimeMs), records, messages, issues };
}

function notFoundOr(error: unknown, id: string): unknown {
  return errorCode(error) === 'ENOENT' ? new ConversationError('not_found', `no conversation "${id}"`) : error;
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
