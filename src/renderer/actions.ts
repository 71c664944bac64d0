/**
 * What the UI asks of Mai: each action calls the api and puts the answer into the stores. Components call these
 * instead of the api directly, so the stores stay the one place the views read.
 */
import type { MaiApi } from './api';
import { classifyChatError } from './features/chat/chatProblem';
import { useChat } from './state/chatStore';
import { useDownloads } from './state/downloadsStore';
import { useModels } from './state/modelsStore';
import { useResources } from './store';

export async function refreshStatus(api: MaiApi): Promise<void> {
  const result = await api.invoke('status.get', {});
  const { setStatus, setError } = useResources.getState();
  if (result.ok) {
    setStatus(result.value);
    setError(null);
    useModels.getState().addDecisions(result.value.decisions);
  } else setError(result.error.message);
}

export async function refreshModels(api: MaiApi): Promise<void> {
  const result = await api.invoke('models.list', {});
  if (result.ok) useModels.getState().setModels(result.value.models);
  else useModels.getState().setError(result.error.message);
}

export async function refreshConversations(api: MaiApi): Promise<void> {
  const result = await api.invoke('conversations.list', {});
  if (result.ok) useChat.getState().setConversations(result.value.conversations);
}

export async function openConversation(api: MaiApi, id: string): Promise<void> {
  const result = await api.invoke('conversations.open', { id });
  if (result.ok) useChat.getState().openConversation(result.value.id, result.value.messages, result.value.switches);
  else useChat.getState().setProblem(classifyChatError(result.error));
}

export async function newConversation(api: MaiApi): Promise<void> {
  const result = await api.invoke('conversations.new', {});
  if (!result.ok) return useChat.getState().setProblem(classifyChatError(result.error));
  useChat.getState().openConversation(result.value.id, [], []);
  await refreshConversations(api);
}

/** Pins a model by key, or goes back to automatic choice with "auto". */
export async function switchModel(api: MaiApi, key: string): Promise<void> {
  const models = useModels.getState();
  models.setSwitching(key);
  const result = await api.invoke('models.switch', { key });
  useModels.getState().setSwitching(null);
  if (!result.ok) return useModels.getState().setError(result.error.message);
  useModels.getState().setError(null);
  const status = useResources.getState().status;
  if (status) useResources.getState().setStatus({ ...status, model: result.value });
  await Promise.all([refreshStatus(api), refreshModels(api)]);
}

export async function refreshRecommendations(api: MaiApi): Promise<void> {
  const result = await api.invoke('models.recommended', {});
  if (result.ok) useDownloads.getState().setRecommendations(result.value.recommendations);
}

/** Downloads a model; progress arrives as model.pullProgress events, and the lists refresh when it is in. */
export async function pullModel(api: MaiApi, key: string): Promise<void> {
  const downloads = useDownloads.getState();
  downloads.setError(null);
  downloads.setPull({
    key,
    phase: 'downloading',
    receivedBytes: 0,
    totalBytes: downloads.recommendations?.find((r) => r.key === key)?.sizeBytes ?? null,
    bytesPerSecond: null,
    etaSeconds: null,
    message: null,
  });
  const result = await api.invoke('models.pull', { key });
  if (!result.ok) {
    const pull = useDownloads.getState().pull;
    // An end event (failed / cancelled) already says why; a refusal before any transfer is shown as an error.
    if (pull && (pull.phase === 'failed' || pull.phase === 'cancelled')) return;
    useDownloads.getState().setPull(null);
    useDownloads.getState().setError(result.error.message);
    return;
  }
  await Promise.all([refreshModels(api), refreshRecommendations(api), refreshStatus(api)]);
}

/** Stops the download; its partial file stays, so pulling the same model again resumes it. */
export async function cancelPull(api: MaiApi): Promise<void> {
  await api.invoke('models.pullCancel', {});
}
