import { systemClock, type Clock } from '../../clock';
import { silentLogger, type Logger } from '../../logger';

/** Where Ollama listens unless told otherwise (its own default, OLLAMA_HOST's). */
export const ollamaDefaultUrl = 'http://127.0.0.1:11434';

export interface OllamaBackendOptions {
  /** Ollama's base URL; MAI_OLLAMA_URL, else 127.0.0.1:11434. */
  url?: string;
  /** For a host: its name, which leads every message about it ("studio-pc (Ollama at …)"). */
  hostName?: string;
  /** A bearer token for an Ollama behind a proxy that wants one (hosts.yaml token_file); never logged. */
  token?: string | null;
  probeTimeoutMs?: number;
  callTimeoutMs?: number;
  loadTimeoutMs?: number;
  firstFragmentTimeoutMs?: number;
  fragmentStallTimeoutMs?: number;
  /** How long Ollama keeps a model Mai loaded after its last use (`keep_alive`). */
  keepAlive?: string;
  retryInitialMs?: number;
  retryMaxMs?: number;
  logger?: Logger;
  clock?: Clock;
}

export type ResolvedOllamaOptions = Required<Omit<OllamaBackendOptions, 'hostName' | 'token'>> &
  Pick<OllamaBackendOptions, 'hostName'> & { token: string | null };

export function resolveOllamaOptions(options: OllamaBackendOptions): ResolvedOllamaOptions {
  return {
    url: (options.url ?? ollamaDefaultUrl).replace(/\/+$/, ''),
    ...(options.hostName === undefined ? {} : { hostName: options.hostName }),
    token: options.token ?? null,
    // A local Ollama answers its version in milliseconds, a host on the LAN in tens; 2 s is a host that is not there
    // (or drops packets), and bounds what a missing one costs a status or a message.
    probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
    // Listing, showing and unloading are quick; 10 s leaves room for a busy Ollama without freezing Mai (as for LM
    // Studio's calls).
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    // A large model from a slow disk takes minutes to load; past ten, something is wrong.
    loadTimeoutMs: options.loadTimeoutMs ?? 10 * 60_000,
    // Ollama sends nothing until the first token: a model it unloaded (its keep-alive ran out) loads again first,
    // then the prompt is evaluated, with no progress report. Two minutes covers both on a CPU for any model Mai
    // would pick for a machine; longer, and it is a frozen runner.
    firstFragmentTimeoutMs: options.firstFragmentTimeoutMs ?? 120_000,
    // Ollama streams each token as it is decoded; 10 s without one is a stuck runner or a lost host (LM Studio's is
    // 5 s; a host on a network gets twice that for its hiccups).
    fragmentStallTimeoutMs: options.fragmentStallTimeoutMs ?? 10_000,
    // As Mai's idle TTL in LM Studio: a Mai that crashed leaves its model for an hour at most, and each answer
    // re-arms it. Ollama's own 5 minutes would unload it between two of a person's messages.
    keepAlive: options.keepAlive ?? '60m',
    // Half a second catches a quick restart; 15 s caps the probing of an Ollama that stays away (as LM Studio's).
    retryInitialMs: options.retryInitialMs ?? 500,
    retryMaxMs: options.retryMaxMs ?? 15_000,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
  };
}
