/**
 * The sandboxed preload: exposes `window.mai` with `invoke` and `on`, nothing else. No Node or Electron object
 * crosses into the page; main validates every request against the contract.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannels, type MaiBridge } from '../shared/bridge';
import type { EventEnvelope } from '../shared/contract';

const listeners = new Set<{ name: string; listener: (envelope: EventEnvelope) => void }>();
let feedRequested = false;

ipcRenderer.on(ipcChannels.event, (_event, envelope: EventEnvelope) => {
  for (const entry of listeners) if (entry.name === envelope.name) entry.listener(envelope);
});

const bridge: MaiBridge = {
  invoke: (name, payload) => ipcRenderer.invoke(ipcChannels.invoke, name, payload),
  on(name, listener) {
    const entry = { name, listener };
    listeners.add(entry);
    // Main starts this page's event feed (snapshot first) only once someone listens, so the snapshot is not lost.
    if (!feedRequested) {
      feedRequested = true;
      ipcRenderer.send(ipcChannels.ready);
    }
    return () => {
      listeners.delete(entry);
    };
  },
};

contextBridge.exposeInMainWorld('mai', bridge);
