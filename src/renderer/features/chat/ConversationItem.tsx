import { useState, type KeyboardEvent } from 'react';
import { openConversation } from '../../actions';
import { useApi } from '../../apiContext';
import { deleteConversation, renameConversation } from '../../conversationActions';
import type { ConversationSummary } from '../../state/chatStore';

export function conversationLabel(title: string | null, createdAtMs: number): string {
  return title ?? `Conversation of ${new Date(createdAtMs).toLocaleString()}`;
}

/** One conversation in the sidebar: opens on click; renamed in place (Enter keeps, Esc drops) or deleted. */
export function ConversationItem({
  conversation: c,
  current,
  disabled,
}: {
  conversation: ConversationSummary;
  current: boolean;
  disabled: boolean;
}) {
  const api = useApi();
  const [renaming, setRenaming] = useState<string | null>(null);
  const label = conversationLabel(c.title, c.createdAtMs);
  const finish = () => {
    const title = renaming?.trim();
    setRenaming(null);
    if (title && title !== c.title) void renameConversation(api, c.id, title);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') finish();
    else if (event.key === 'Escape') {
      event.stopPropagation();
      setRenaming(null);
    }
  };
  return (
    <li className={`conversation${current ? ' current' : ''}`} data-testid="conversation" data-id={c.id}>
      {renaming !== null ? (
        <input
          aria-label="Conversation title"
          data-testid="rename-input"
          value={renaming}
          maxLength={200}
          autoFocus
          onChange={(event) => setRenaming(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={finish}
        />
      ) : (
        <button
          type="button"
          className="conversation-open"
          aria-current={current ? 'true' : undefined}
          disabled={disabled}
          title={label}
          onClick={() => void openConversation(api, c.id)}
        >
          <span className="conversation-title">{label}</span>
          <span className="muted">{c.messageCount} messages</span>
        </button>
      )}
      <span className="conversation-actions">
        <button
          type="button"
          data-testid="conversation-rename"
          aria-label={`Rename ${label}`}
          title="Rename"
          disabled={disabled}
          onClick={() => setRenaming(c.title ?? '')}
        >
          ✎
        </button>
        <button
          type="button"
          data-testid="conversation-delete"
          aria-label={`Delete ${label}`}
          title="Delete"
          disabled={disabled}
          onClick={() => void deleteConversation(api, c.id)}
        >
          ✕
        </button>
      </span>
    </li>
  );
}
