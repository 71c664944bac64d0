/** Managing conversations: rename, delete with undo, search. The brain's files are the truth; the list follows. */
import type { ConversationHitView } from '../shared/contract';
import { openConversation, refreshConversations } from './actions';
import type { MaiApi } from './api';
import { classifyChatError } from './features/chat/chatProblem';
import { useChat } from './state/chatStore';

export async function renameConversation(api: MaiApi, id: string, title: string): Promise<void> {
  const result = await api.invoke('conversations.rename', { id, title });
  if (!result.ok) return useChat.getState().setProblem(classifyChatError(result.error));
  await refreshConversations(api);
}

/** Deletes it and offers the undo; the open conversation, when it is this one, is closed. */
export async function deleteConversation(api: MaiApi, id: string): Promise<void> {
  const summary = useChat.getState().conversations.find((c) => c.id === id) ?? null;
  const result = await api.invoke('conversations.delete', { id });
  if (!result.ok) return useChat.getState().setProblem(classifyChatError(result.error));
  const chat = useChat.getState();
  if (chat.currentId === id) chat.closeConversation();
  chat.setDeleted(summary);
  await refreshConversations(api);
}

/** The undo of a deletion: listed again, and opened, as the person left it. */
export async function restoreConversation(api: MaiApi, id: string): Promise<void> {
  const result = await api.invoke('conversations.restore', { id });
  useChat.getState().setDeleted(null);
  if (!result.ok) return useChat.getState().setProblem(classifyChatError(result.error));
  await refreshConversations(api);
  await openConversation(api, id);
}

/** Conversations whose title or messages contain the text; an empty list when the search fails. */
export async function searchConversations(api: MaiApi, query: string): Promise<ConversationHitView[]> {
  const result = await api.invoke('conversations.search', { query });
  return result.ok ? result.value.results : [];
}
