import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { cancelAnswer, sendMessage } from '../../answerActions';
import { useApi } from '../../apiContext';
import { useChat } from '../../state/chatStore';

/** The message box: Enter sends, Shift+Enter breaks the line; while Mai answers, the button (or Esc) stops it. */
export function Composer() {
  const api = useApi();
  const answering = useChat((s) => s.streaming !== null);
  const [text, setText] = useState('');

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || answering) return;
    setText('');
    void sendMessage(api, trimmed);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) submit(event);
  };

  return (
    <form className="composer" onSubmit={submit}>
      <textarea
        id="chat-input"
        aria-label="Message"
        data-testid="chat-input"
        rows={2}
        value={text}
        placeholder="Message Mai (Enter sends, Shift+Enter for a new line)"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {answering ? (
        <button type="button" data-testid="chat-cancel" onClick={() => void cancelAnswer(api)}>
          Stop
        </button>
      ) : (
        <button type="submit" data-testid="chat-send" disabled={!text.trim()}>
          Send
        </button>
      )}
    </form>
  );
}
