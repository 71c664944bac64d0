/**
 * Why a store call was refused, with a code the brain can map to the contract's error codes: an id that is not a
 * conversation id (never touches the disk), one with no file, a record that would not read back, a closed store.
 */
export type ConversationErrorCode = 'bad_id' | 'not_found' | 'bad_record' | 'closed';

export class ConversationError extends Error {
  constructor(
    readonly code: ConversationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConversationError';
  }
}
