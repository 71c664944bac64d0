import type { BackendStatus, ContractError, ErrorDetail } from '../../../shared/contract';
import { engineName } from '../../backendNames';

export type ChatProblemKind = 'no-models' | 'engine-gone' | 'does-not-fit' | 'busy' | 'disconnected' | 'other';

/** A chat error as a person should read it: what happened and what to do. */
export interface ChatProblem {
  kind: ChatProblemKind;
  title: string;
  detail: string;
}

const titles: Record<ChatProblemKind, string> = {
  'no-models': 'Mai has no model to talk with',
  'engine-gone': 'The engine Mai was using is gone',
  'does-not-fit': 'The model does not fit this machine right now',
  busy: 'Mai is busy',
  disconnected: 'Mai cannot be reached',
  other: 'Mai could not answer',
};

export function problem(kind: ChatProblemKind, detail: string): ChatProblem {
  return { kind, title: titles[kind], detail };
}

const kindOfDetail: Record<Exclude<ErrorDetail, 'cancelled'>, ChatProblemKind> = {
  no_model: 'no-models',
  backend_gone: 'engine-gone',
  does_not_fit: 'does-not-fit',
  busy: 'busy',
  disconnected: 'disconnected',
};

/** The kind comes from the error's detail code, set by the brain (or the transport); the message is for reading. */
export function classifyChatError(error: ContractError): ChatProblem {
  const kind = error.detail && error.detail !== 'cancelled' ? kindOfDetail[error.detail] : 'other';
  return problem(kind, error.message);
}

/** A request the person stopped: not a problem to show. */
export function isCancelled(error: ContractError): boolean {
  return error.detail === 'cancelled';
}

/** Where Mai looks for models, from its backends' own words, for the "no models" state. */
export function noModelsProblem(backends: BackendStatus[]): ChatProblem {
  const where = backends.map((b) => `${b.id === 'embedded' ? 'GGUF files' : engineName(b.id)}: ${b.detail}`);
  return problem(
    'no-models',
    [
      'Mai looks in LM Studio (its downloaded models) and for GGUF files in LM Studio’s models folders, in Mai’s own models folder and in the folders named by MAI_MODELS_DIR. Or let Mai fetch one that fits:',
      ...where,
    ].join('\n'),
  );
}
