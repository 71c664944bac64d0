import type { ModelListing, Status } from '../shared/contract';
import { CliError } from './exitCodes';
import { ask, type MaiClient } from './maiClient';

const listSeparator = process.platform === 'win32' ? ';' : ':';

/** Where Mai looks for models and how to add one; shown by `mai models` and by chat when there are none. */
export const noModelsHelp = `No models found.
Mai looks in LM Studio (when it runs), in Ollama (when it runs; MAI_OLLAMA_URL), at an OpenAI-compatible server
(MAI_OPENAI_URL) and the hosts of $MAI_HOME/config/hosts.yaml, in LM Studio's models folders (~/.lmstudio/models,
~/.cache/lm-studio/models), in $MAI_HOME/models, and in every folder of MAI_MODELS_DIR (separated by '${listSeparator}').
Add a GGUF file to one of them, download a model in LM Studio or Ollama, or let Mai fetch one that fits this machine:
"mai models --recommended" lists them, "mai pull <key>" downloads one.
`;

/** Why a pinned model cannot answer now, for a person: what it needs and what the machine has free. */
export function pinnedProblem(models: readonly ModelListing[], key: string): string | null {
  const model = models.find((m) => m.key === key);
  if (!model) {
    return `the pinned model "${key}" is not among the models Mai found. Run "mai models" for the keys, then "mai switch <key>" or "mai switch auto".`;
  }
  if (!model.usable)
    return `the pinned model ${key} cannot be used: ${model.reason}. Pin another with "mai switch <key>" or run "mai switch auto".`;
  if (!model.fits && !model.loaded) {
    return `the pinned model ${key} does not fit this machine now: ${model.reason}. Free some memory, pin a smaller model ("mai models" lists them), or run "mai switch auto".`;
  }
  return null;
}

/**
 * What to tell a person whose MAI_LMSTUDIO_URL does not answer: Mai goes on without LM Studio (as `mai serve` and
 * the tray app do), and says so and how to fix it. One rule for every host; null when there is nothing to say.
 */
export function lmStudioNotice(status: Status, lmStudioUrl: string | undefined): string | null {
  if (!lmStudioUrl) return null;
  const lmStudio = status.backends.find((b) => b.id === 'lmstudio');
  if (!lmStudio || lmStudio.status === 'ready') return null;
  // 'error': it answered, but not as it should (a stuck model list, a refused token); otherwise nothing answered.
  const what =
    lmStudio.status === 'error'
      ? `LM Studio at MAI_LMSTUDIO_URL=${lmStudioUrl} cannot be used: ${lmStudio.detail}`
      : `LM Studio was not found at MAI_LMSTUDIO_URL=${lmStudioUrl}: ${lmStudio.detail}`;
  return `${what}\nMai answers without it (with its embedded engine) for now. Start LM Studio and its server (Developer → Start Server), correct MAI_LMSTUDIO_URL, or unset it.`;
}

/**
 * Checks, before the first message, the problems a person can fix, so they get a message saying what to do instead
 * of a failed answer: no models at all, a pinned model that cannot run. An LM Studio address that does not answer
 * is only told (`notify`): Mai answers without it.
 */
export async function checkReadyToChat(
  mai: MaiClient,
  pinnedKey: string | null,
  notify: (text: string) => void,
  lmStudioUrl: string | undefined,
): Promise<void> {
  // A running Mai has its own settings; this process's MAI_LMSTUDIO_URL says nothing about it.
  if (mai.attachedPid === null) {
    const notice = lmStudioNotice(await ask(mai, { name: 'status.get', payload: {} }), lmStudioUrl);
    if (notice) notify(notice);
  }
  const { models } = await ask(mai, { name: 'models.list', payload: {} });
  if (models.length === 0) throw new CliError(noModelsHelp.trimEnd());
  if (pinnedKey !== null) {
    const problem = pinnedProblem(models, pinnedKey);
    if (problem) throw new CliError(problem);
  }
}
