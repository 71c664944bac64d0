import type { MaiApi } from './api';
import {
  openConversation,
  refreshConversations,
  refreshModels,
  refreshRecommendations,
  refreshStatus,
} from './actions';
import { useDownloads } from './state/downloadsStore';
import { useChat } from './state/chatStore';
import { useModels } from './state/modelsStore';
import { useResources } from './store';

/** Feeds the stores from Mai's events and fetches the first state on every (re)connection; returns the unsubscriber. */
export function connectStores(api: MaiApi): () => void {
  const resources = useResources.getState();
  const offs = [
    api.on('resources.sample', (sample) => resources.addSample(sample)),
    api.on('model.decision', (decision) => {
      useModels.getState().addDecisions([decision]);
      const chat = useChat.getState();
      // A switch while this conversation is open shows as a quiet marker in it.
      if (chat.currentId !== null && decision.atMs >= (chat.messages[0]?.atMs ?? Infinity)) chat.addSwitch(decision);
      void refreshStatus(api);
      void refreshModels(api);
    }),
    api.on('chat.fragment', ({ conversationId, text }) => useChat.getState().addFragment(conversationId, text)),
    api.on('chat.restart', ({ conversationId, reason }) => useChat.getState().restartAnswer(conversationId, reason)),
    api.on('chat.handoff', ({ conversationId, text, from, reason }) =>
      useChat.getState().handOffAnswer(conversationId, text, from, reason),
    ),
    api.on('model.loadProgress', ({ key, fraction }) =>
      useModels.getState().setLoading(fraction >= 1 ? null : { key, fraction }),
    ),
    api.on('model.pullProgress', (progress) => useDownloads.getState().setPull(progress)),
    api.onConnectionChange((connected) => {
      resources.setConnected(connected);
      if (!connected) return;
      void refreshStatus(api);
      void refreshModels(api);
      void refreshRecommendations(api);
      void loadHistory(api);
      void refreshConversations(api).then(() => {
        const { conversations, currentId } = useChat.getState();
        const latest = [...conversations].sort((a, b) => b.updatedAtMs - a.updatedAtMs)[0];
        if (currentId === null && latest) void openConversation(api, latest.id);
      });
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** Sparklines start full after a reload: the brain keeps the last minutes. */
async function loadHistory(api: MaiApi): Promise<void> {
  const result = await api.invoke('resources.history', { windowMs: 5 * 60 * 1000 });
  if (result.ok) useResources.getState().setHistory(result.value.samples);
}
