import { currentBranch, givenTitle } from './branch';
import type { ConversationRecord, MessageRecord } from './records';

export interface ConversationSummary {
  id: string;
  /**
   * The latest rename, else the title given at creation, else the start of the current branch's first user
   * message, else null (nothing said yet).
   */
  title: string | null;
  createdAtMs: number;
  /** When the last record of the chat was written: a message, a context choice, a switch (not a rename). */
  updatedAtMs: number;
  /** Messages in the current branch (replaced ones not counted). */
  messageCount: number;
}

const managementRecords = new Set<ConversationRecord['type']>(['title', 'deleted', 'restored']);

// Long enough to recognise a chat in a list, short enough for one line of a tray menu or sidebar.
const derivedTitleChars = 60;

/** A conversation's list entry from its records; pure. `fallbackAtMs` dates a file whose records carry no time. */
export function summarize(
  id: string,
  records: readonly ConversationRecord[],
  fallbackAtMs: number,
): ConversationSummary {
  const created = records.find((record) => record.type === 'created');
  const messages = currentBranch(records);
  // A loop, not Math.min(...times): a long conversation has more records than a call may take arguments.
  let firstAtMs = Infinity;
  let lastAtMs = -Infinity;
  for (const record of records) {
    firstAtMs = Math.min(firstAtMs, record.atMs);
    // Renaming, deleting or restoring is not activity in the chat: the list keeps its order across them.
    if (!managementRecords.has(record.type)) lastAtMs = Math.max(lastAtMs, record.atMs);
  }
  const createdAtMs = created?.atMs ?? (records.length > 0 ? firstAtMs : fallbackAtMs);
  const updatedAtMs = records.length > 0 ? Math.max(lastAtMs, createdAtMs) : createdAtMs;
  return {
    id,
    title: givenTitle(records) ?? derivedTitle(messages),
    createdAtMs,
    updatedAtMs,
    messageCount: messages.length,
  };
}

function derivedTitle(messages: readonly MessageRecord[]): string | null {
  const first = messages
    .find((message) => message.role === 'user')
    ?.content.replace(/\s+/g, ' ')
    .trim();
  if (!first) return null;
  return first.length <= derivedTitleChars ? first : `${first.slice(0, derivedTitleChars - 1).trimEnd()}…`;
}

/** Newest activity first; ties (same ms) by creation, then by id, so the order is total and stable. */
export function newestFirst(a: ConversationSummary, b: ConversationSummary): number {
  return b.updatedAtMs - a.updatedAtMs || b.createdAtMs - a.createdAtMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
