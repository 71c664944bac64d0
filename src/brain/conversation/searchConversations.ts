import type { LoadedConversation } from './readConversation';
import type { ConversationSummary } from './summarize';

/** A conversation that matched a search: where, and a little of the text around the match. */
export interface ConversationHit extends ConversationSummary {
  /** The matching text with some context, on one line; the title itself when only the title matched. */
  snippet: string;
  /** The message that matched first, or null when only the title did. */
  messageId: string | null;
}

// About one line of a sidebar on either side of the match.
const contextChars = 40;

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

function snippetAround(text: string, at: number, length: number): string {
  const start = Math.max(0, at - contextChars);
  const end = Math.min(text.length, at + length + contextChars);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}

/**
 * The conversations whose title or current-branch messages contain `query`, any case, white space collapsed; in
 * the order given (the store's: newest activity first). Replaced messages are not searched: they are not what the
 * person sees. Pure; an empty query matches nothing.
 */
export function searchConversations(conversations: readonly LoadedConversation[], query: string): ConversationHit[] {
  const needle = oneLine(query).trim().toLowerCase();
  if (needle === '') return [];
  const hits: ConversationHit[] = [];
  for (const conversation of conversations) {
    const { id, title, createdAtMs, updatedAtMs, messageCount } = conversation;
    const summary = { id, title, createdAtMs, updatedAtMs, messageCount };
    const message = conversation.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ id: m.id, text: oneLine(m.content) }))
      .find((m) => m.text.toLowerCase().includes(needle));
    if (message) {
      const at = message.text.toLowerCase().indexOf(needle);
      hits.push({ ...summary, snippet: snippetAround(message.text, at, needle.length), messageId: message.id });
    } else if (title?.toLowerCase().includes(needle)) {
      hits.push({ ...summary, snippet: title, messageId: null });
    }
  }
  return hits;
}
