/**
 * Asking Mai for an answer: a new message, another answer to the last one, or an edited question. Each shows the
 * turn at once (the question, a streaming answer), then the stored answer; `chat.fragment` events fill it meanwhile.
 */
import type { ChatResultView, Result } from '../shared/contract';
import { refreshConversations, refreshStatus, openConversation } from './actions';
import type { MaiApi } from './api';
import { classifyChatError, isCancelled, noModelsProblem } from './features/chat/chatProblem';
import { useChat } from './state/chatStore';
import { useModels } from './state/modelsStore';
import { useResources } from './store';

/** False (and the problem shown) when Mai has no usable model: no turn is started then. */
function canAnswer(): boolean {
  const models = useModels.getState().models;
  if (models && models.filter((m) => m.usable).length === 0) {
    useChat.getState().setProblem(noModelsProblem(useResources.getState().status?.backends ?? []));
    return false;
  }
  return true;
}

async function answer(
  api: MaiApi,
  start: () => void,
  request: () => Promise<Result<ChatResultView>>,
  /** After a failed regenerate or edit the brain may or may not have replaced messages: show what it holds. */
  reloadOnFailure: boolean,
): Promise<void> {
  if (useChat.getState().streaming || !canAnswer()) return;
  start();
  const result = await request();
  if (result.ok) {
    useChat.getState().finishAnswer(result.value, Date.now());
    useModels.getState().addDecisions(result.value.switches);
    void refreshConversations(api);
    void refreshStatus(api);
    return;
  }
  useChat.getState().failAnswer(isCancelled(result.error) ? null : classifyChatError(result.error));
  const { currentId, problem } = useChat.getState();
  if (reloadOnFailure && currentId) {
    await openConversation(api, currentId);
    // Opening clears the problem; the person still needs to read why the answer failed.
    useChat.getState().setProblem(problem);
  }
}

export function sendMessage(api: MaiApi, text: string): Promise<void> {
  return answer(
    api,
    () => useChat.getState().startAnswer(text, Date.now()),
    () => api.invoke('chat.send', { text }),
    false,
  );
}

/** Another answer to the last question; `model` for this answer only, else Mai chooses. */
export function regenerateAnswer(api: MaiApi, model?: string): Promise<void> {
  return answer(
    api,
    () => useChat.getState().startRegenerate(),
    () => api.invoke('chat.regenerate', model ? { model } : {}),
    true,
  );
}

/** Replaces one of the person's messages and answers again from there. */
export function editMessage(api: MaiApi, messageId: string, text: string): Promise<void> {
  return answer(
    api,
    () => useChat.getState().startEdit(messageId, text, Date.now()),
    () => api.invoke('chat.edit', { messageId, text }),
    true,
  );
}

export async function cancelAnswer(api: MaiApi): Promise<void> {
  await api.invoke('chat.cancel', {});
}
