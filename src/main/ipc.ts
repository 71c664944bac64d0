import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { subscribeAllEvents, type Brain } from '../brain';
import { ipcChannels } from '../shared/bridge';
import { fail, parseRequest, type Result } from '../shared/contract';

export interface IpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeAllListeners'>;
  brain: Brain;
  /** Decides whether a message's sender frame is Mai's own renderer. */
  isTrustedSender: (senderUrl: string | undefined) => boolean;
}

/**
 * One handler per transport channel: every request's sender is checked and its payload parsed with the contract
 * before the brain sees it; each window gets its own event feed (snapshot first, then numbered updates).
 */
export function registerIpc({ ipcMain, brain, isTrustedSender }: IpcOptions): () => void {
  const feeds = new Map<number, () => void>();

  ipcMain.handle(
    ipcChannels.invoke,
    async (event: IpcMainInvokeEvent, name: unknown, payload: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event.senderFrame?.url)) return fail('unauthorized', 'IPC from an untrusted frame');
      const parsed = parseRequest(name, payload);
      return parsed.ok ? brain.invoke(parsed.value) : parsed;
    },
  );

  ipcMain.on(ipcChannels.ready, (event: IpcMainEvent) => {
    if (!isTrustedSender(event.senderFrame?.url)) return;
    const contents: WebContents = event.sender;
    feeds.get(contents.id)?.();
    const stop = subscribeAllEvents(brain, (envelope) => {
      if (!contents.isDestroyed()) contents.send(ipcChannels.event, envelope);
    });
    // A reload or a closed window ends this feed; the reloaded page asks for a fresh one. A same-document
    // navigation (the tab switch's history.replaceState, a hash change) keeps the page and its listeners, so it
    // keeps the feed too: that page would never ask again.
    const onNavigation = (details: { isSameDocument?: boolean; isMainFrame?: boolean }) => {
      if (details.isSameDocument || details.isMainFrame === false) return;
      end();
    };
    const end = () => {
      contents.off('did-start-navigation', onNavigation);
      contents.off('destroyed', end);
      if (feeds.get(contents.id) === end) feeds.delete(contents.id);
      stop();
    };
    feeds.set(contents.id, end);
    contents.on('destroyed', end);
    contents.on('did-start-navigation', onNavigation);
  });

  return () => {
    ipcMain.removeHandler(ipcChannels.invoke);
    ipcMain.removeAllListeners(ipcChannels.ready);
    for (const end of [...feeds.values()]) end();
  };
}
