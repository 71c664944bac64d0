import { silentLogger, type Logger } from '../../logger';
import { homedir } from 'node:os';
import { lmStudioModelsDirs } from '../embedded/discovery';

export interface LmStudioBackendOptions {
  /** LM Studio's address; defaults to MAI_LMSTUDIO_URL, else 127.0.0.1 on 1234 and the SDK's ports. */
  url?: string;
  /** Local ports probed when no URL is set (tests narrow this). */
  ports?: readonly number[];
  probeTimeoutMs?: number;
  /** Bound on each quick call (list, unload, count tokens, version). */
  callTimeoutMs?: number;
  /** Bound on a whole load unless LoadOptions.timeoutMs says otherwise. */
  loadTimeoutMs?: number;
  /** Longest silence inside an answer (no progress, no text) unless RespondOptions.timeoutMs says otherwise. */
  respondIdleTimeoutMs?: number;
  /** After a cancel, how long LM Studio gets to confirm before the answer ends locally. */
  cancelGraceMs?: number;
  /** First wait before looking for LM Studio again; doubles up to the maximum. */
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  logger?: Logger;
  /** Where MAI_LMSTUDIO_URL is read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /**
   * Where LM Studio keeps its models, to read GGUF headers from; LM Studio's own folders by default when it runs on
   * this machine (a loopback address), none otherwise.
   */
  modelsDirs?: readonly string[];
}

export type ResolvedOptions = Required<Omit<LmStudioBackendOptions, 'url' | 'ports' | 'probeTimeoutMs' | 'env'>> &
  Pick<LmStudioBackendOptions, 'url' | 'ports' | 'probeTimeoutMs'>;

/** LM Studio's files are only Mai's to read when LM Studio runs here (no URL means the local ports). */
function isLoopback(url: string | undefined): boolean {
  if (url === undefined) return true;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function resolveOptions(options: LmStudioBackendOptions): ResolvedOptions {
  const configured = options.url ?? (options.env ?? process.env).MAI_LMSTUDIO_URL;
  const url = configured === undefined || configured.trim() === '' ? undefined : configured;
  return {
    ...(url === undefined ? {} : { url }),
    ...(options.ports === undefined ? {} : { ports: options.ports }),
    ...(options.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: options.probeTimeoutMs }),
    // Quick calls answer in milliseconds locally; 10 s leaves room for a busy LM Studio without freezing Mai long.
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    // Large models from a slow disk take minutes; past ten, something is wrong.
    loadTimeoutMs: options.loadTimeoutMs ?? 10 * 60_000,
    // Prompt processing of a long conversation on a CPU can go quiet for a while between progress reports.
    respondIdleTimeoutMs: options.respondIdleTimeoutMs ?? 120_000,
    // LM Studio confirms a cancel within one token; two seconds covers a busy machine.
    cancelGraceMs: options.cancelGraceMs ?? 2_000,
    // Half a second catches a quick LM Studio restart; 15 s caps the probing of an LM Studio that stays away.
    reconnectInitialDelayMs: options.reconnectInitialDelayMs ?? 500,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 15_000,
    logger: options.logger ?? silentLogger,
    modelsDirs: options.modelsDirs ?? (isLoopback(url) ? lmStudioModelsDirs(homedir()) : []),
  };
}
