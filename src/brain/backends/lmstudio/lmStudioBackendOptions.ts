import { homedir } from 'node:os';
import { systemClock, type Clock } from '../../clock';
import { silentLogger, type Logger } from '../../logger';
import { lmStudioModelsDirs } from '../embedded/discovery';

export interface LmStudioBackendOptions {
  /** LM Studio's address; defaults to MAI_LMSTUDIO_URL, else the port LM Studio published, 1234 and the SDK's ports. */
  url?: string;
  /** Local ports probed when no URL is set, after the one LM Studio published (tests narrow this). */
  ports?: readonly number[];
  probeTimeoutMs?: number;
  /**
   * An LM Studio API token (`sk-lm-…`), for an LM Studio set to require one (e.g. from Mai's config); LM_API_TOKEN
   * otherwise, as the SDK 2.0 and lms read it. Never logged, never in a status.
   */
  apiToken?: string;
  /** The home folder LM Studio's own folder is found in (its published server port, its models); os.homedir(). */
  homeDir?: string;
  /**
   * false: look for LM Studio only at `url` (MAI_LMSTUDIO_URL), never on this machine's ports or through the port
   * it published. The test suite turns discovery off so a developer's own LM Studio cannot change its results.
   */
  discover?: boolean;
  /** Bound on each quick call (list, unload, count tokens, version). */
  callTimeoutMs?: number;
  /** Bound on a whole load unless LoadOptions.timeoutMs says otherwise. */
  loadTimeoutMs?: number;
  /** Silence allowed before an answer's first fragment; each prompt-progress report restarts it. */
  firstFragmentTimeoutMs?: number;
  /** Silence allowed between an answer's fragments. */
  fragmentStallTimeoutMs?: number;
  /** Sets both silences above at once (what this option meant before they were split). */
  respondIdleTimeoutMs?: number;
  /** Idle time to live of the models Mai loads: LM Studio unloads them after this long unused. */
  idleTtlMs?: number;
  /** After a stalled answer, the first wait before LM Studio is checked again; doubles up to the maximum. */
  stallRecheckInitialMs?: number;
  stallRecheckMaxMs?: number;
  /** After a cancel, how long LM Studio gets to confirm before the answer ends locally. */
  cancelGraceMs?: number;
  /** First wait before looking for LM Studio again; doubles up to the maximum. */
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  logger?: Logger;
  clock?: Clock;
  /** Where MAI_LMSTUDIO_URL and LM_API_TOKEN are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /**
   * Where LM Studio keeps its models, to read GGUF headers from; LM Studio's own folders by default when it runs on
   * this machine (a loopback address), none otherwise.
   */
  modelsDirs?: readonly string[];
}

type Passed = 'url' | 'ports' | 'probeTimeoutMs' | 'env' | 'apiToken' | 'respondIdleTimeoutMs';
export type ResolvedOptions = Required<Omit<LmStudioBackendOptions, Passed>> &
  Pick<LmStudioBackendOptions, 'url' | 'ports' | 'probeTimeoutMs'> & {
    /** The token and where it came from (for messages, never the token itself); null without one. */
    apiToken: { token: string; source: string } | null;
  };

/** LM Studio's files are only Mai's to read when LM Studio runs here (no URL means the local ports). */
function isLoopback(url: string | undefined): boolean {
  if (url === undefined) return true;
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

export function resolveOptions(options: LmStudioBackendOptions): ResolvedOptions {
  const env = options.env ?? process.env;
  const url = nonEmpty(options.url ?? env.MAI_LMSTUDIO_URL);
  const tokenOption = nonEmpty(options.apiToken);
  const tokenEnv = nonEmpty(env.LM_API_TOKEN);
  const homeDir = options.homeDir ?? homedir();
  return {
    ...(url === undefined ? {} : { url }),
    ...(options.discover === false ? { ports: [] } : options.ports === undefined ? {} : { ports: options.ports }),
    discover: options.discover ?? true,
    ...(options.probeTimeoutMs === undefined ? {} : { probeTimeoutMs: options.probeTimeoutMs }),
    apiToken: tokenOption
      ? { token: tokenOption, source: "Mai's LM Studio API token setting" }
      : tokenEnv
        ? { token: tokenEnv, source: 'LM_API_TOKEN' }
        : null,
    homeDir,
    // Quick calls answer in milliseconds locally; 10 s leaves room for a busy LM Studio without freezing Mai long.
    callTimeoutMs: options.callTimeoutMs ?? 10_000,
    // Large models from a slow disk take minutes; past ten, something is wrong.
    loadTimeoutMs: options.loadTimeoutMs ?? 10 * 60_000,
    // LM Studio reports prompt progress batch by batch; 8 s with no report and no text is a batch slower than any
    // model Mai would pick for the machine, so a frozen engine, and still leaves the fallback well inside 10 s.
    firstFragmentTimeoutMs: options.firstFragmentTimeoutMs ?? options.respondIdleTimeoutMs ?? 8_000,
    // LM Studio streams each token as it is decoded and Mai picks models that write several a second: 5 s without
    // one is a stuck engine, not a slow one.
    fragmentStallTimeoutMs: options.fragmentStallTimeoutMs ?? options.respondIdleTimeoutMs ?? 5_000,
    // LM Studio's own idle TTL for models it loads on demand: a Mai that crashed leaves its model for an hour at most,
    // and every answer re-arms it (the SDK: "if the model is used before the TTL, the timer will be reset").
    idleTtlMs: options.idleTtlMs ?? 60 * 60_000,
    // A frozen LM Studio rarely thaws in seconds; checking after 15 s, then less and less often (to 5 min), keeps
    // the cost of a still-frozen one (a check waits at most one stall deadline) away from most messages.
    stallRecheckInitialMs: options.stallRecheckInitialMs ?? 15_000,
    stallRecheckMaxMs: options.stallRecheckMaxMs ?? 5 * 60_000,
    // LM Studio confirms a cancel within one token; two seconds covers a busy machine.
    cancelGraceMs: options.cancelGraceMs ?? 2_000,
    // Half a second catches a quick LM Studio restart; 15 s caps the probing of an LM Studio that stays away.
    reconnectInitialDelayMs: options.reconnectInitialDelayMs ?? 500,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 15_000,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    modelsDirs: options.modelsDirs ?? (isLoopback(url) ? lmStudioModelsDirs(homeDir) : []),
  };
}
