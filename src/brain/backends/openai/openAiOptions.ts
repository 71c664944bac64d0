import { systemClock, type Clock } from '../../clock';
import { silentLogger, type Logger } from '../../logger';

export interface OpenAiBackendOptions {
  /** The server's base URL, with or without its `/v1` (MAI_OPENAI_URL, or a host's `url`). */
  url: string;
  /** The name its models are shown under: a host's name, else the server's `host:port`. */
  hostName?: string;
  /** Sent as `Authorization: Bearer …` (hosts.yaml token_file, or $MAI_HOME/config/openai-api-token); never shown. */
  token?: string | null;
  probeTimeoutMs?: number;
  callTimeoutMs?: number;
  firstFragmentTimeoutMs?: number;
  fragmentStallTimeoutMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  logger?: Logger;
  clock?: Clock;
}

export type ResolvedOpenAiOptions = Required<Omit<OpenAiBackendOptions, 'token'>> & { token: string | null };

/** `http://rig:8000` and `http://rig:8000/v1/` both mean `http://rig:8000/v1`, where OpenAI's paths begin. */
export function apiBase(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}

export function resolveOpenAiOptions(options: OpenAiBackendOptions): ResolvedOpenAiOptions {
  const url = apiBase(options.url);
  return {
    url,
    hostName: options.hostName ?? new URL(url).host,
    token: options.token ?? null,
    // As Ollama's: a server that answers its model list in 2 s is there; past that it is not, or drops packets.
    probeTimeoutMs: options.probeTimeoutMs ?? 2_000,
    // Listing models is quick; 10 s leaves room for a busy server without freezing Mai (as for every engine).
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    // Such a server sends nothing until the first token: its prompt evaluation (and, for LM Studio's or LocalAI's,
    // a load on first use) has no progress report. Two minutes, as for Ollama.
    firstFragmentTimeoutMs: options.firstFragmentTimeoutMs ?? 120_000,
    // A token at least every 10 s, or it is stuck or gone (as for Ollama on a network).
    fragmentStallTimeoutMs: options.fragmentStallTimeoutMs ?? 10_000,
    retryInitialMs: options.retryInitialMs ?? 500,
    retryMaxMs: options.retryMaxMs ?? 15_000,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
  };
}
