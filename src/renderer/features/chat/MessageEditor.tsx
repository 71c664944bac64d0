import { useState, type KeyboardEvent } from 'react';

/** A sent message opened for editing: Enter (or Save) answers it again from here, Esc (or Cancel) leaves it as it was. */
export function MessageEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  const save = () => {
    const trimmed = text.trim();
    if (trimmed) onSave(trimmed);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      save();
    } else if (event.key === 'Escape') {
      // The chat's own Esc (stop the answer) must not also see it.
      event.stopPropagation();
      onCancel();
    }
  };
  return (
    <div className="message-editor">
      <textarea
        aria-label="Edit message"
        data-testid="edit-input"
        value={text}
        rows={Math.min(8, Math.max(2, text.split('\n').length))}
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="message-actions">
        <button type="button" data-testid="edit-save" disabled={!text.trim()} onClick={save}>
          Save &amp; answer
        </button>
        <button type="button" data-testid="edit-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
