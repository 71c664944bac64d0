import { useEffect, useRef } from 'react';
import type { ChatMessageView, Decision } from '../../../shared/contract';
import { useChat } from '../../state/chatStore';
import { ModelBadge } from './ModelBadge';
import { SwitchMarker } from './SwitchMarker';

type Entry = { kind: 'message'; message: ChatMessageView } | { kind: 'switch'; decision: Decision };

/** Messages and switch markers in time order (a switch sits before the answer it changed). */
export function timeline(messages: ChatMessageView[], switches: Decision[]): Entry[] {
  const entries: Entry[] = [
    ...messages.map((message) => ({ kind: 'message' as const, message })),
    ...switches.map((decision) => ({ kind: 'switch' as const, decision })),
  ];
  const at = (e: Entry) => (e.kind === 'message' ? e.message.atMs : e.decision.atMs);
  return entries.sort((a, b) => at(a) - at(b));
}

function Message({ message }: { message: ChatMessageView }) {
  if (message.role === 'system') return null;
  const tokensPerSecond = message.stats?.tokensPerSecond;
  return (
    <li className={`message message-${message.role}`} data-testid={`message-${message.role}`}>
      <div className="message-text">{message.content}</div>
      {message.role === 'assistant' && message.model && (
        <div className="message-meta">
          <ModelBadge modelKey={message.model.key} backend={message.model.backend} />
          {tokensPerSecond != null && <span className="muted">{Math.round(tokensPerSecond)} tokens/s</span>}
        </div>
      )}
    </li>
  );
}

export function MessageList() {
  const messages = useChat((s) => s.messages);
  const switches = useChat((s) => s.switches);
  const streaming = useChat((s) => s.streaming);
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages, streaming]);

  if (messages.length === 0 && !streaming) {
    return <p className="muted chat-empty">Say something to start. Mai picks a model that fits the machine.</p>;
  }
  return (
    <ol className="messages" aria-label="Messages" aria-live="polite">
      {timeline(messages, switches).map((entry) =>
        entry.kind === 'message' ? (
          <Message key={entry.message.id} message={entry.message} />
        ) : (
          <SwitchMarker key={`switch-${entry.decision.atMs}-${entry.decision.to}`} decision={entry.decision} />
        ),
      )}
      {streaming && (
        <li className="message message-assistant streaming" data-testid="streaming-answer">
          {streaming.restartReason && (
            <div className="switch-marker-inline muted">Started again: {streaming.restartReason}</div>
          )}
          <div className="message-text">{streaming.text || <span className="muted">Thinking…</span>}</div>
        </li>
      )}
      <li ref={end} aria-hidden className="messages-end" />
    </ol>
  );
}
