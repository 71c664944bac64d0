import { memo, Profiler, useState } from 'react';
import type { ChatMessageView } from '../../../shared/contract';
import { editMessage, regenerateAnswer } from '../../answerActions';
import { useApi } from '../../apiContext';
import { useChat } from '../../state/chatStore';
import { useModels } from '../../state/modelsStore';
import { AnswerText, partsOfSegments } from './AnswerText';
import { CopyButton } from './CopyButton';
import { MessageEditor } from './MessageEditor';
import { ModelBadge } from './ModelBadge';
import { countRender } from './renderCounts';

/** Another answer to the last question, from Mai's choice or a model the person picks for this answer only. */
function Regenerate() {
  const api = useApi();
  const models = useModels((s) => s.models);
  const [model, setModel] = useState('');
  const usable = (models ?? []).filter((m) => m.usable);
  return (
    <span className="regenerate">
      <button type="button" data-testid="regenerate" onClick={() => void regenerateAnswer(api, model || undefined)}>
        Regenerate
      </button>
      {usable.length > 1 && (
        <select
          aria-label="Model for the new answer"
          data-testid="regenerate-model"
          value={model}
          onChange={(event) => setModel(event.target.value)}
        >
          <option value="">with Mai’s choice</option>
          {usable.map((m) => (
            <option key={`${m.backend}:${m.key}`} value={m.key}>
              with {m.displayName}
            </option>
          ))}
        </select>
      )}
    </span>
  );
}

interface MessageRowProps {
  message: ChatMessageView;
  /** The last message of the conversation: the one an answer can be regenerated at. */
  last: boolean;
}

/**
 * One message of the history: its text (markdown for answers), who wrote it and its actions. Memoised and keyed by
 * id, so a streamed fragment, which changes only the answer being written, renders none of these.
 */
export const MessageRow = memo(function MessageRow({ message, last }: MessageRowProps) {
  const api = useApi();
  const answering = useChat((s) => s.streaming !== null);
  const [editing, setEditing] = useState(false);
  if (message.role === 'system') return null;
  const tokensPerSecond = message.stats?.tokensPerSecond;
  // A local id is a message the brain has not stored yet: it cannot be edited until it has.
  const stored = !message.id.startsWith('local-');
  return (
    <Profiler id={message.id} onRender={countRender}>
      <li className={`message message-${message.role}`} data-testid={`message-${message.role}`} data-id={message.id}>
        {editing ? (
          <MessageEditor
            initial={message.content}
            onCancel={() => setEditing(false)}
            onSave={(text) => {
              setEditing(false);
              void editMessage(api, message.id, text);
            }}
          />
        ) : message.role === 'assistant' ? (
          <div className="message-text">
            <AnswerText parts={partsOfSegments(message.content, message.segments)} />
          </div>
        ) : (
          <div className="message-text plain">{message.content}</div>
        )}
        {!editing && (
          <div className="message-meta">
            {message.role === 'assistant' && message.model && (
              <ModelBadge modelKey={message.model.key} backend={message.model.backend} />
            )}
            {tokensPerSecond != null && <span className="muted">{Math.round(tokensPerSecond)} tokens/s</span>}
            <span className="message-actions">
              <CopyButton testId="message-copy" text={() => message.content} />
              {message.role === 'user' && (
                <button
                  type="button"
                  data-testid="message-edit"
                  disabled={answering || !stored}
                  onClick={() => setEditing(true)}
                >
                  Edit
                </button>
              )}
              {last && !answering && <Regenerate />}
            </span>
          </div>
        )}
      </li>
    </Profiler>
  );
});
