/** Why a pull stopped, for a person and for the exit code / UI state that follows. */
export type PullErrorCode =
  /** No download is known for the key, or the URI is not one Mai can fetch. */
  | 'unknown'
  /** The host could not be reached, or the connection failed and retries ran out. */
  | 'network'
  /** The server answered, but not with the file (404, 403, 500...). */
  | 'http'
  /** The bytes arrived but are not the published file. */
  | 'checksum'
  /** The disk lacks room for the rest of the file. */
  | 'disk_space'
  /** The person stopped it; the partial file is kept for resuming. */
  | 'cancelled'
  /** Another pull is running (one at a time keeps the disk and the link for one file). */
  | 'busy';

export class PullError extends Error {
  override readonly name = 'PullError';
  constructor(
    readonly code: PullErrorCode,
    message: string,
  ) {
    super(message);
  }
}
