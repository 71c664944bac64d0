import type { BackendStatus, ContractError } from '../../../shared/contract';

export type ChatProblemKind = 'no-models' | 'lmstudio-gone' | 'does-not-fit' | 'busy' | 'disconnected' | 'other';

/** A chat error as a person should read it: what happened and what to do. */
export interface ChatProblem {
  kind: ChatProblemKind;
  title: string;
  detail: string;
}

const titles: Record<ChatProblemKind, string> = {
  'no-models': 'Mai has no model to talk with',
  'lmstudio-gone': 'LM Studio is gone',
  'does-not-fit': 'The model does not fit this machine right now',
  busy: 'Mai is busy',
  disconnected: 'Mai cannot be reached',
  other: 'Mai could not answer',
};

export function problem(kind: ChatProblemKind, detail: string): ChatProblem {
  return { kind, title: titles[kind], detail };
}

/**
 * The contract carries only coarse codes, so the kind is read from the brain's message (its wording is stable:
 * BackendError messages name LM Studio, memory or the busy state).
 */
export function classifyChatError(error: ContractError): ChatProblem {
  const text = error.message;
  if (error.code === 'unavailable' && /connection to Mai lost/i.test(text)) return problem('disconnected', text);
  if (/lm ?studio/i.test(text)) return problem('lmstudio-gone', text);
  if (/not fit|does not fit|memory|pressure|too large/i.test(text)) return problem('does-not-fit', text);
  if (/busy|already|in progress|one at a time/i.test(text)) return problem('busy', text);
  if (/no model|no usable model|nothing to (load|switch)/i.test(text)) return problem('no-models', text);
  return problem('other', text);
}

/** Where Mai looks for models, from its backends' own words, for the "no models" state. */
export function noModelsProblem(backends: BackendStatus[]): ChatProblem {
  const where = backends.map((b) => `${b.id === 'lmstudio' ? 'LM Studio' : 'GGUF files'}: ${b.detail}`);
  return problem(
    'no-models',
    [
      'Mai looks in LM Studio (its downloaded models) and for GGUF files in LM Studio’s models folders, in Mai’s own models folder and in the folders named by MAI_MODELS_DIR. Or let Mai fetch one that fits:',
      ...where,
    ].join('\n'),
  );
}
