import type { ConversationRecord, MessageRecord } from './records';

/**
 * What a conversation's records mean now, read in file order (pure): the messages of the current branch (a
 * supersede record cuts the branch before its message; later messages continue it), the latest title given, and
 * whether the latest deletion was undone.
 */
export function currentBranch(records: readonly ConversationRecord[]): MessageRecord[] {
  const messages: MessageRecord[] = [];
  for (const record of records) {
    if (record.type === 'message') messages.push(record);
    else if (record.type === 'supersede') {
      const at = messages.findIndex((message) => message.id === record.messageId);
      // A supersede naming a message not in the branch (a hand edit, a lost line) changes nothing.
      if (at >= 0) messages.length = at;
    }
  }
  return messages;
}

/** The latest rename, else the title given at creation, else undefined. */
export function givenTitle(records: readonly ConversationRecord[]): string | undefined {
  let title: string | undefined;
  for (const record of records) {
    if (record.type === 'created' && record.title !== undefined) title = record.title;
    else if (record.type === 'title') title = record.title;
  }
  return title;
}

/** Deleted when its latest deleted/restored record is a deletion. */
export function isDeleted(records: readonly ConversationRecord[]): boolean {
  let deleted = false;
  for (const record of records) {
    if (record.type === 'deleted') deleted = true;
    else if (record.type === 'restored') deleted = false;
  }
  return deleted;
}
