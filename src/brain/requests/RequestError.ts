import type { ErrorCode, ErrorDetail } from '../../shared/contract';

/** A request that cannot be answered for a reason the person can act on; crosses transports as its code and text. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: ErrorDetail,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
