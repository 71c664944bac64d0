import { useEffect, useRef } from 'react';
import type { ChatMessageView, Decision } from '../../../shared/contract';
import { useChat } from '../../state/chatStore';
import { MessageRow } from './MessageRow';
import { StreamingAnswer } from './StreamingAnswer';
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

/**
 * The conversation. It subscribes to the messages and markers, never to the streamed text (StreamingAnswer does),
 * so a fragment does not render the list, and each row is memoised on its own message.
 */
export function MessageList() {
  const messages = useChat((s) => s.messages);
  const switches = useChat((s) => s.switches);
  const answering = useChat((s) => s.streaming !== null);
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages, answering]);

  if (messages.length === 0 && !answering) {
    return <p className="muted chat-empty">Say something to start. Mai picks a model that fits the machine.</p>;
  }
  const lastId = messages.at(-1)?.id;
  return (
    <ol className="messages" aria-label="Messages" aria-live="polite">
      {timeline(messages, switches).map((entry) =>
        entry.kind === 'message' ? (
          <MessageRow key={entry.message.id} message={entry.message} last={entry.message.id === lastId} />
        ) : (
          <SwitchMarker key={`switch-${entry.decision.id}`} decision={entry.decision} />
        ),
      )}
      <StreamingAnswer />
      <li ref={end} aria-hidden className="messages-end" />
    </ol>
  );
}
