import type { Brain } from '../brain';
import type { TrayState } from './trayMenu';

/** Mai's one-line status follows the machine slowly; asking for it more often only costs. */
const personalityRefreshMs = 15_000;

/** The status, or null when the brain cannot answer now (the tray keeps what it showed). */
async function statusOf(brain: Brain) {
  const result = await brain.invoke({ name: 'status.get', payload: {} });
  return result.ok ? result.value : null;
}

async function modelsOf(brain: Brain) {
  const result = await brain.invoke({ name: 'models.list', payload: {} });
  return result.ok ? result.value.models : null;
}

/**
 * Keeps the tray's state current from the brain: samples as they come, the model state and list after every
 * decision or finished load, Mai's status line now and then. Calls `changed` after each update.
 */
export function followBrainForTray(brain: Brain, state: TrayState, changed: () => void): () => void {
  const refreshModels = async () => {
    const [status, models] = await Promise.all([statusOf(brain), modelsOf(brain)]);
    if (status) {
      state.model = status.model;
      state.personality = status.personality;
      state.mood = status.mood;
    }
    if (models) state.models = models;
    changed();
  };
  const refreshPersonality = async () => {
    const status = await statusOf(brain);
    if (!status) return;
    state.model = status.model;
    state.personality = status.personality;
    state.mood = status.mood;
    changed();
  };
  const offs = [
    brain.subscribe('resources.sample', (sample) => {
      state.sample = sample;
      changed();
    }),
    // Every decision (a pin from any UI included) changes the model state the menu shows.
    brain.subscribe('model.decision', () => void refreshModels()),
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
