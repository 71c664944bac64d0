import { useEffect, useState } from 'react';
import type { ConversationHitView } from '../../../shared/contract';
import { newConversation, openConversation } from '../../actions';
import { useApi } from '../../apiContext';
import { restoreConversation, searchConversations } from '../../conversationActions';
import { useChat } from '../../state/chatStore';
import { conversationLabel, ConversationItem } from './ConversationItem';

// Long enough to type a word without a request per key, short enough to feel live.
const searchDelayMs = 200;
// Long enough to notice a slip and take it back.
const undoForMs = 10_000;

/** The undo of the last deletion, offered for a while. */
function DeletedNotice() {
  const api = useApi();
  const deleted = useChat((s) => s.deleted);
  useEffect(() => {
    if (!deleted) return;
    const timer = setTimeout(() => useChat.getState().setDeleted(null), undoForMs);
    return () => clearTimeout(timer);
  }, [deleted]);
  if (!deleted) return null;
  return (
    <div className="deleted-notice" role="status" data-testid="deleted-notice">
      <span>Deleted “{conversationLabel(deleted.title, deleted.createdAtMs)}”</span>
      <button type="button" data-testid="undo-delete" onClick={() => void restoreConversation(api, deleted.id)}>
        Undo
      </button>
    </div>
  );
}

function SearchResults({ hits, disabled }: { hits: ConversationHitView[]; disabled: boolean }) {
  const api = useApi();
  if (hits.length === 0) return <p className="muted">No conversation has that.</p>;
  return (
    <ul aria-label="Search results">
      {hits.map((hit) => (
        <li key={hit.id} className="conversation" data-testid="search-hit">
          <button
            type="button"
            className="conversation-open"
            disabled={disabled}
            onClick={() => void openConversation(api, hit.id)}
          >
            <span className="conversation-title">{conversationLabel(hit.title, hit.createdAtMs)}</span>
            <span className="muted search-snippet">{hit.snippet}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The sidebar: a new conversation (Ctrl+K), search by text, every conversation newest first, and the undo. */
export function ConversationList() {
  const api = useApi();
  const conversations = useChat((s) => s.conversations);
  const currentId = useChat((s) => s.currentId);
  const answering = useChat((s) => s.streaming !== null);
  const [query, setQuery] = useState('');
  // The latest answer to a search; shown while the box has text (an older answer until the newer one arrives).
  const [found, setFound] = useState<ConversationHitView[] | null>(null);
  const text = query.trim();
  useEffect(() => {
    if (!text) return;
    let current = true;
    const timer = setTimeout(
      () => void searchConversations(api, text).then((hits) => current && setFound(hits)),
      searchDelayMs,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, text, conversations]);
  const hits = text ? found : null;
  const sorted = [...conversations].sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  return (
    <nav className="conversations" aria-label="Conversations">
      <button
        type="button"
        className="new-conversation"
        data-testid="new-conversation"
        title="Ctrl+K"
        disabled={answering}
        onClick={() => void newConversation(api)}
      >
        New conversation
      </button>
      <input
        type="search"
        aria-label="Search conversations"
        data-testid="conversation-search"
        placeholder="Search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <DeletedNotice />
      {hits !== null ? (
        <SearchResults hits={hits} disabled={answering} />
      ) : (
        <ul>
          {sorted.map((c) => (
            <ConversationItem key={c.id} conversation={c} current={c.id === currentId} disabled={answering} />
          ))}
        </ul>
      )}
    </nav>
  );
}
