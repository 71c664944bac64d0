import type { LMStudioClient } from '@lmstudio/sdk';
import { loadLmStudioSdk } from '../lazyModules';
import { BackendError, type BackendHealth } from '../ModelBackend';
import { clientIdentity, redact, withTokenHint, type ClientIdentity } from './apiToken';
import { withDeadline } from './deadline';
import { discoverLmStudio } from './discoverLmStudio';
import type { LmStudioAddress } from './lmStudioAddress';
import type { ResolvedOptions } from './lmStudioBackendOptions';
import { readPublishedPort } from './lmStudioHome';
import { releaseSdkClient } from './releaseSdkClient';
import { isDisconnect, toBackendError } from './sdkErrors';
import { sdkLoggerFor } from './sdkLogger';

/** What the connection needs of the backend's options (see lmStudioBackendOptions.ts). */
export type LmStudioConnectionOptions = Pick<
  ResolvedOptions,
  | 'url'
  | 'ports'
  | 'probeTimeoutMs'
  | 'callTimeoutMs'
  | 'reconnectInitialDelayMs'
  | 'reconnectMaxDelayMs'
  | 'logger'
  | 'apiToken'
  | 'homeDir'
  | 'discover'
>;

type State =
  | { kind: 'unavailable'; error: BackendError }
  | { kind: 'ready'; client: LMStudioClient; address: LmStudioAddress; version: string };

const howToStart = 'Start LM Studio and enable its server, or set MAI_LMSTUDIO_URL.';

/**
 * Owns the one SDK client: finds LM Studio (never through the SDK's discovery), attaches, watches for it going away,
 * and tries again with backoff until it is back. Everything else asks it for a client and reports failures to it.
 */
export class LmStudioConnection {
  private state: State = {
    kind: 'unavailable',
    error: new BackendError('not_running', 'Mai has not looked for LM Studio yet.', 'lmstudio'),
  };
  private attempt: Promise<LMStudioClient> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelayMs: number;
  private closed = false;
  /** The API token's identity, or one random identity for the life of this connection; the error of a bad token. */
  private readonly identity: ClientIdentity | BackendError;

  constructor(private readonly options: LmStudioConnectionOptions) {
    this.reconnectDelayMs = options.reconnectInitialDelayMs;
    this.identity = clientIdentity(options.apiToken);
  }

  /** Error text with the token and passkey taken out: LM Studio's refusals end up in logs and statuses. */
  private clean(error: BackendError): BackendError {
    const secrets = [
      this.options.apiToken?.token ?? '',
      this.identity instanceof BackendError ? '' : this.identity.clientPasskey,
    ];
    const message = redact(error.message, secrets);
    return message === error.message ? error : new BackendError(error.code, message, 'lmstudio');
  }

  /** The attached client, attaching now if needed; a BackendError naming why when LM Studio cannot be reached. */
  async client(): Promise<LMStudioClient> {
    if (this.closed) throw new BackendError('disconnected', 'The LM Studio backend has been closed.', 'lmstudio');
    if (this.state.kind === 'ready') return this.state.client;
    this.attempt ??= this.attach().finally(() => (this.attempt = null));
    return this.attempt;
  }

  /** Live state: pings a ready LM Studio (so a stuck one shows), or tries to attach an absent one. */
  async health(): Promise<BackendHealth> {
    if (this.closed) return { id: 'lmstudio', status: 'unavailable', detail: 'The LM Studio backend has been closed.' };
    if (this.state.kind === 'ready') {
      const { client } = this.state;
      try {
        await withDeadline(client.system.getLMStudioVersion(), this.options.callTimeoutMs, 'check on LM Studio');
      } catch (error) {
        const named = toBackendError(error, 'check on LM Studio');
        this.reportFailure(client, named);
        // Connected but not answering (busy or stuck): say so, and keep the connection and whatever runs on it.
        if (this.state.kind === 'ready') return { id: 'lmstudio', status: 'error', detail: named.message };
      }
    }
    if (this.state.kind !== 'ready') await this.client().catch(() => {});
    const state = this.state;
    if (state.kind === 'ready') {
      const source = this.identity instanceof BackendError ? null : this.identity.tokenSource;
      const token = source === null ? '' : ` (API token from ${source})`;
      return {
        id: 'lmstudio',
        status: 'ready',
        detail: `LM Studio ${state.version} at ${state.address.baseUrl}${token}`,
      };
    }
    return { id: 'lmstudio', status: 'unavailable', detail: state.error.message };
  }

  /** Called by operations whose call failed: a lost socket means LM Studio went away, so reattach. */
  reportFailure(client: LMStudioClient, error: BackendError): void {
    if (error.code === 'disconnected' || error.code === 'not_running' || isDisconnect(error.cause)) {
      this.lost(client, error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const state = this.state;
    this.state = { kind: 'unavailable', error: new BackendError('disconnected', 'Closed.', 'lmstudio') };
    if (state.kind === 'ready') await releaseSdkClient(state.client);
  }

  private async attach(): Promise<LMStudioClient> {
    const { options } = this;
    let client: LMStudioClient | null = null;
    try {
      const identity = this.identity;
      if (identity instanceof BackendError) throw identity;
      // Read at every attach: LM Studio may listen on another port after a restart.
      const publishedPort =
        options.url === undefined && options.discover ? await readPublishedPort(options.homeDir) : null;
      const { found, tried } = await discoverLmStudio({ ...options, publishedPort });
      if (!found) {
        const where = options.url === undefined ? tried.join(', ') : `${tried.join(', ')} (the configured address)`;
        throw new BackendError(
          'not_running',
          `LM Studio is not running: nothing answered at ${where}. ${howToStart}`,
          'lmstudio',
        );
      }
      // The SDK is loaded only once an LM Studio answered: a machine without one never pays for it.
      const { LMStudioClient } = await loadLmStudioSdk();
      client = new LMStudioClient({
        baseUrl: found.baseUrl,
        logger: sdkLoggerFor(options.logger, (text) => redact(text, [identity.clientPasskey])),
        verboseErrorMessages: false,
        clientIdentifier: identity.clientIdentifier,
        clientPasskey: identity.clientPasskey,
      });
      const { version } = await withDeadline(
        client.system.getLMStudioVersion(),
        options.callTimeoutMs,
        'read the LM Studio version',
      );
      if (this.closed) throw new BackendError('disconnected', 'The LM Studio backend has been closed.', 'lmstudio');
      this.state = { kind: 'ready', client, address: found, version };
      this.reconnectDelayMs = options.reconnectInitialDelayMs;
      options.logger.info('attached to LM Studio', { url: found.baseUrl, version });
      this.watch(client);
      return client;
    } catch (error) {
      if (client) void releaseSdkClient(client);
      const named = this.clean(withTokenHint(toBackendError(error, 'connect'), this.identity));
      this.state = { kind: 'unavailable', error: named };
      this.scheduleReconnect();
      throw named;
    }
  }

  /** `whenDisconnected` holds an `alive` channel open and settles when the socket closes: the prompt signal. */
  private watch(client: LMStudioClient): void {
    const gone = () =>
      this.lost(client, new BackendError('disconnected', 'The connection to LM Studio was lost.', 'lmstudio'));
    client.system.whenDisconnected().then(gone, gone);
  }

  private lost(client: LMStudioClient, error: BackendError): void {
    const state = this.state;
    if (state.kind !== 'ready' || state.client !== client) return;
    this.state = {
      kind: 'unavailable',
      error: new BackendError(
        'not_running',
        `LM Studio at ${state.address.baseUrl} went away (${error.message}); Mai will reconnect when it is back. ${howToStart}`,
        'lmstudio',
        { cause: error },
      ),
    };
    this.options.logger.warn('LM Studio went away', { url: state.address.baseUrl, reason: error.message });
    void releaseSdkClient(client);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delayMs = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delayMs * 2, this.options.reconnectMaxDelayMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.closed && this.state.kind !== 'ready') this.client().catch(() => {});
    }, delayMs);
    // Waiting for LM Studio must never keep a finished CLI command alive.
    this.reconnectTimer.unref();
  }
}
