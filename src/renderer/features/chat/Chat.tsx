import { useApi } from '../../apiContext';
import { useModels } from '../../state/modelsStore';
import { useChat } from '../../state/chatStore';
import { useResources } from '../../store';
import { noModelsProblem } from './chatProblem';
import './chat.css';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { FirstModel } from './FirstModel';
import { MessageList } from './MessageList';
import { useChatKeys } from './useChatKeys';

function ProblemBanner() {
  const chatProblem = useChat((s) => s.problem);
  const models = useModels((s) => s.models);
  const backends = useResources((s) => s.status?.backends);
  const shown = chatProblem ?? (models && !models.some((m) => m.usable) ? noModelsProblem(backends ?? []) : null);
  if (!shown) return null;
  return (
    <div role="alert" className={`chat-problem problem-${shown.kind}`} data-testid="chat-problem">
      <strong>{shown.title}</strong>
      {shown.detail.split('\n').map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}

/** Shown while Mai has no usable model at all: the way to get one. */
function NoModelsYet() {
  const models = useModels((s) => s.models);
  return models && !models.some((m) => m.usable) ? <FirstModel /> : null;
}

export function Chat() {
  useChatKeys(useApi());
  return (
    <section className="chat" aria-label="Chat">
      <ConversationList />
      <div className="chat-main">
        <MessageList />
        <ProblemBanner />
        <NoModelsYet />
        <Composer />
      </div>
    </section>
  );
}
