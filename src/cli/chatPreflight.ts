import type { Brain } from '../brain';
import type { ModelListing, Status } from '../shared/contract';
import { CliError } from './exitCodes';

const listSeparator = process.platform === 'win32' ? ';' : ':';

/** Where Mai looks for models and how to add one; shown by `mai models` and by chat when there are none. */
export const noModelsHelp = `No models found.
Mai looks in LM Studio (when it runs), in LM Studio's models folders (~/.lmstudio/models, ~/.cache/lm-studio/models),
in $MAI_HOME/models, and in every folder of MAI_MODELS_DIR (separated by '${listSeparator}').
Add a GGUF file to one of them, download a model in LM Studio, or let Mai fetch one that fits this machine:
"mai models --recommended" lists them, "mai pull <key>" downloads one.
`;

async function ask<T>(brain: Brain, name: 'status.get' | 'models.list'): Promise<T> {
  const result = await brain.invoke({ name, payload: {} });
  if (!result.ok) throw new CliError(result.error.message);
  return result.value as T;
}

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
 * Checks, before the first message, the problems a person can fix, so they get a message saying what to do instead
 * of a failed answer: an LM Studio address that does not answer, no models at all, a pinned model that cannot run.
 */
export async function checkReadyToChat(brain: Brain, pinnedKey: string | null): Promise<void> {
  const lmStudioUrl = process.env.MAI_LMSTUDIO_URL;
  if (lmStudioUrl) {
    const status = await ask<Status>(brain, 'status.get');
    const lmStudio = status.backends.find((b) => b.id === 'lmstudio');
    if (lmStudio && lmStudio.status !== 'ready') {
      throw new CliError(
        `LM Studio was not found at MAI_LMSTUDIO_URL=${lmStudioUrl}: ${lmStudio.detail}\nStart LM Studio and its server (Developer → Start Server), correct MAI_LMSTUDIO_URL, or unset it to let Mai use its embedded engine.`,
      );
    }
  }
  const { models } = await ask<{ models: ModelListing[] }>(brain, 'models.list');
  if (models.length === 0) throw new CliError(noModelsHelp.trimEnd());
  if (pinnedKey !== null) {
    const problem = pinnedProblem(models, pinnedKey);
    if (problem) throw new CliError(problem);
  }
}
