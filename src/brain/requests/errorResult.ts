import { fail, type ContractError, type ErrorDetail, type RequestName } from '../../shared/contract';
import { BackendError, type BackendErrorCode } from '../backends/ModelBackend';
import { ConversationError } from '../conversation/ConversationError';
import { PullError } from '../downloads';
import type { Logger } from '../logger';
import { RequestError } from './RequestError';

/** What a UI should make of an engine's failure; codes without an entry carry no detail. */
const backendDetails: Partial<Record<BackendErrorCode, ErrorDetail>> = {
  disconnected: 'backend_gone',
  not_running: 'backend_gone',
  refused: 'backend_gone',
  no_model: 'no_model',
  does_not_fit: 'does_not_fit',
  cancelled: 'cancelled',
};

/** A thrown error as the contract's failure value: its code, its text for a person, and what a UI can act on. */
export function errorResult(name: RequestName, error: unknown, logger: Logger): { ok: false; error: ContractError } {
  if (error instanceof RequestError) return fail(error.code, error.message, error.detail);
  if (error instanceof BackendError) return fail('unavailable', error.message, backendDetails[error.code]);
  if (error instanceof PullError) {
    if (error.code === 'unknown') return fail('bad_request', error.message);
    return fail('unavailable', error.message, error.code === 'busy' ? 'busy' : undefined);
  }
  if (error instanceof ConversationError) return fail('bad_request', error.message);
  logger.error(`request ${name} failed`, { error: String(error) });
  return fail('internal', `${name} failed: ${error instanceof Error ? error.message : String(error)}`);
}
