import { BackendError, type BackendErrorCode } from '../ModelBackend';

/** The SDK's own sentences for a socket that went away (index.cjs WsClientTransport and ClientPort). */
const disconnectPatterns = [
  /WebSocket connection closed/i,
  /transport (has been )?disposed/i,
  /WebSocket timed out/i,
  /socket hang up/i,
  /ECONNRESET/,
];
const notFoundPatterns = [
  /Cannot find a model with (identifier|path)/i,
  /No loaded model satisfies/i,
  /already been unloaded/i,
];

/**
 * The SDK's error text for a person: by default `message` is a boxed, ANSI-coloured panel, and the plain text sits in
 * the non-enumerable `lmstudioRawError`. Colour codes and the panel's section labels are folded into one line.
 */
export function plainSdkMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Errors with a known displayData code also carry LM Studio's own title, cause and suggestion: the short version.
  const { title, cause, suggestion } = error as { title?: unknown; cause?: unknown; suggestion?: unknown };
  if (typeof title === 'string' && title !== '') {
    return [title, cause, suggestion].filter((part) => typeof part === 'string' && part !== '').join(' — ');
  }
  const raw = (error as { lmstudioRawError?: unknown }).lmstudioRawError;
  const text = typeof raw === 'string' ? raw : error.message;
  return (
    text
      // eslint-disable-next-line no-control-regex -- ANSI colour sequences are control characters by definition
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/[│╭╮╰╯─]/g, ' ')
      .replace(/\s*\(!\)\s*SUGGESTION\s*/g, ' Suggestion: ')
      .replace(/\s*\(X\)\s*CAUSE\s*/g, ' Cause: ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function isDisconnect(error: unknown): boolean {
  const text = plainSdkMessage(error);
  return disconnectPatterns.some((pattern) => pattern.test(text));
}

function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || /ECONNREFUSED/.test(plainSdkMessage(error));
}

/**
 * Names an SDK failure; `operation` is what Mai was doing, as a verb phrase. `fallback` is the code for an error LM Studio itself reported (e.g. load_failed for a load);
 * transport failures get their own codes whatever the operation was.
 */
export function toBackendError(
  error: unknown,
  operation: string,
  fallback: BackendErrorCode = 'internal',
): BackendError {
  if (error instanceof BackendError) return error;
  const text = plainSdkMessage(error);
  const named = (code: BackendErrorCode, message: string) =>
    new BackendError(code, message, 'lmstudio', { cause: error });
  if (isConnectionRefused(error)) {
    return named('not_running', `LM Studio stopped answering while Mai tried to ${operation} (${text}).`);
  }
  if (/Failed to (authenticate|parse authentication result)/i.test(text)) {
    return named('refused', `LM Studio refused Mai's connection (${text}).`);
  }
  if (isDisconnect(error)) {
    return named('disconnected', `The connection to LM Studio was lost while Mai tried to ${operation} (${text}).`);
  }
  const code = notFoundPatterns.some((pattern) => pattern.test(text)) ? 'not_found' : fallback;
  return named(code, `LM Studio could not ${operation}: ${text}`);
}
