import { newConversation, openConversation } from '../../actions';
import { useApi } from '../../apiContext';
import { useChat } from '../../state/chatStore';

function label(title: string | null, createdAtMs: number): string {
  return title ?? `Conversation of ${new Date(createdAtMs).toLocaleString()}`;
}

export function ConversationList() {
  const api = useApi();
  const conversations = useChat((s) => s.conversations);
  const currentId = useChat((s) => s.currentId);
  const answering = useChat((s) => s.streaming !== null);
  const sorted = [...conversations].sort((a, b) => b.updatedAtMs - a.updatedAtMs);
  return (
    <nav className="conversations" aria-label="Conversations">
      <button
        type="button"
        data-testid="new-conversation"
        disabled={answering}
        onClick={() => void newConversation(api)}
      >
        New conversation
      </button>
      <ul>
        {sorted.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className={c.id === currentId ? 'current' : ''}
              aria-current={c.id === currentId ? 'true' : undefined}
              disabled={answering}
              onClick={() => void openConversation(api, c.id)}
            >
              <span className="conversation-title">{label(c.title, c.createdAtMs)}</span>
              <span className="muted">{c.messageCount} messages</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
