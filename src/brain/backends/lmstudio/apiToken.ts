import { randomBytes } from 'node:crypto';
import { BackendError } from '../ModelBackend';

/** The client identity Mai authenticates with: LM Studio binds the passkey to the identifier. */
export interface ClientIdentity {
  clientIdentifier: string;
  clientPasskey: string;
  /** Where an API token came from, for messages ("LM_API_TOKEN"); null for Mai's own random identity. */
  tokenSource: string | null;
}

/**
 * An LM Studio API token's shape (lms-shared-types lmstudioAPIToken.ts). SDK 2.0's `apiToken` option is nothing
 * more than this split: the two halves go out as the auth packet's clientIdentifier and clientPasskey, which SDK
 * 1.5.0 can already send.
 */
const apiTokenPattern = /^sk-lm-(?<clientIdentifier>[a-zA-Z0-9]{8}):(?<clientPasskey>[a-zA-Z0-9]{20})$/;

/**
 * The identity for a configured token; a 'refused' BackendError naming only where the token came from (never the
 * token) when it cannot be one.
 */
export function identityFromToken(token: string, source: string): ClientIdentity {
  const match = apiTokenPattern.exec(token.trim());
  const clientIdentifier = match?.groups?.clientIdentifier;
  const clientPasskey = match?.groups?.clientPasskey;
  if (clientIdentifier === undefined || clientPasskey === undefined) {
    throw new BackendError(
      'refused',
      `The LM Studio API token in ${source} does not look like one (LM Studio's tokens look like sk-lm-xxxxxxxx:` +
        'xxxxxxxxxxxxxxxxxxxx); create one in LM Studio and set it again.',
      'lmstudio',
    );
  }
  return { clientIdentifier, clientPasskey, tokenSource: source };
}

/** Replaces every occurrence of a secret in a text for logs and status: a server might echo what it was sent. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => (secret === '' ? result : result.split(secret).join('…')), text);
}

/**
 * The identity to authenticate with: the token's when one is configured (the error naming a malformed one, for every
 * attach to report), else a random pair for the life of the connection: without a token, LM Studio binds a passkey
 * to an identifier first come, first served.
 */
export function clientIdentity(apiToken: { token: string; source: string } | null): ClientIdentity | BackendError {
  if (apiToken === null) {
    return {
      clientIdentifier: `mai-${randomBytes(9).toString('base64url')}`,
      clientPasskey: randomBytes(18).toString('base64url'),
      tokenSource: null,
    };
  }
  try {
    return identityFromToken(apiToken.token, apiToken.source);
  } catch (error) {
    return error as BackendError;
  }
}

/** A refusal says what to do about tokens: set one, or check the one Mai sent. */
export function withTokenHint(error: BackendError, identity: ClientIdentity | BackendError): BackendError {
  if (error.code !== 'refused' || identity instanceof BackendError) return error;
  const hint =
    identity.tokenSource === null
      ? ' If LM Studio requires an API token, create one in LM Studio and set LM_API_TOKEN.'
      : ` Mai sent the API token from ${identity.tokenSource}; check that LM Studio still has it.`;
  return new BackendError('refused', error.message + hint, 'lmstudio', { cause: error.cause });
}
