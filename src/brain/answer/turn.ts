import type { ConversationStore } from '../conversation/ConversationStore';
import type { MessageRecord } from '../conversation/records';
import { RequestError } from '../requests/RequestError';

/**
 * What a person asks an answer for: a new message, another answer to the last one (optionally from a model they
 * name, for this answer only), or an earlier message of theirs edited and answered again from there.
 */
export type Turn =
  | { kind: 'send'; text: string }
  | { kind: 'regenerate'; modelKey?: string }
  | { kind: 'edit'; messageId: string; text: string };

/**
 * Puts a turn on disk before any model is asked, and returns the user message it answers. Regenerating and editing
 * supersede the messages they replace (a record, so the file stays append-only; the current branch leaves them
 * out), so a cancelled or failed answer leaves the conversation ending with the question, as a crash would.
 */
export function startTurn(store: ConversationStore, conversationId: string, turn: Turn): MessageRecord {
  if (turn.kind === 'send') return store.appendMessage(conversationId, { role: 'user', content: turn.text });
  const branch = store.messages(conversationId);
  if (turn.kind === 'regenerate') {
    const at = branch.findLastIndex((message) => message.role === 'user');
    const question = branch[at];
    if (!question) throw new RequestError('bad_request', 'nothing to answer again: no message in this conversation');
    // A question left without an answer (cancelled, failed) is answered as it is; nothing to replace.
    const replaced = branch[at + 1];
    if (replaced) store.supersede(conversationId, replaced.id, 'regenerate');
    return question;
  }
  const edited = branch.find((message) => message.id === turn.messageId);
  if (edited?.role !== 'user') {
    throw new RequestError('bad_request', `no message of yours "${turn.messageId}" in the current conversation`);
  }
  store.supersede(conversationId, edited.id, 'edit');
  return store.appendMessage(conversationId, { role: 'user', content: turn.text });
}
