import type { Brain } from '../brain';
import { parseResponse, type RequestName, type ResponseValue } from '../shared/contract';
import type { TrayState } from './trayMenu';

/** Mai's one-line status follows the machine slowly; asking for it more often only costs. */
const personalityRefreshMs = 15_000;

async function ask<N extends RequestName>(brain: Brain, name: N): Promise<ResponseValue<N> | null> {
  const result = await brain.invoke({ name, payload: {} } as Parameters<Brain['invoke']>[0]);
  if (!result.ok) return null;
  const parsed = parseResponse(name, result.value);
  return parsed.ok ? parsed.value : null;
}

/**
 * Keeps the tray's state current from the brain: samples as they come, the model state and list after every
 * decision or finished load, Mai's status line now and then. Calls `changed` after each update.
 */
export function followBrainForTray(brain: Brain, state: TrayState, changed: () => void): () => void {
  const refreshModels = async () => {
    const [status, list] = await Promise.all([ask(brain, 'status.get'), ask(brain, 'models.list')]);
    if (status) {
      state.model = status.model;
      state.personality = status.personality;
    }
    if (list) state.models = list.models;
    changed();
  };
  const refreshPersonality = async () => {
    const status = await ask(brain, 'status.get');
    if (!status) return;
    state.model = status.model;
    state.personality = status.personality;
    changed();
  };
  const offs = [
    brain.subscribe('resources.sample', (sample) => {
      state.sample = sample;
      changed();
    }),
    brain.subscribe('model.decision', (decision) => {
      // A pin (from any UI) is a manual decision naming the model; "auto" is one naming no new model.
      if (decision.trigger === 'manual' && decision.to !== null) state.pinnedKey = decision.to;
      void refreshModels();
    }),
    brain.subscribe('model.loadProgress', ({ fraction }) => {
      if (fraction >= 1) void refreshModels();
    }),
  ];
  const timer = setInterval(() => void refreshPersonality(), personalityRefreshMs);
  void refreshModels();
  return () => {
    clearInterval(timer);
    offs.forEach((off) => off());
  };
}

/** Asks the brain to switch; the tray follows through the decision event that results. */
export async function switchFromTray(brain: Brain, key: string): Promise<string | null> {
  const result = await brain.invoke({ name: 'models.switch', payload: { key } });
  return result.ok ? null : result.error.message;
}
