import { refusedConnection } from '../http/portProbe';
import { candidateAddresses, type LmStudioAddress } from './lmStudioAddress';

export interface DiscoveryOptions {
  /** An explicit address (e.g. MAI_LMSTUDIO_URL); when set, nothing else is probed. */
  url?: string;
  /** Local ports to try when no URL is given; defaults to 1234 and the SDK's ports. */
  ports?: readonly number[];
  /** Per probe. A local server answers in a few ms; a firewall that drops packets must not stall Mai. */
  probeTimeoutMs?: number;
  /** The port LM Studio published in ~/.lmstudio/.internal/http-server.json (readPublishedPort), probed first. */
  publishedPort?: number | null;
}

export interface DiscoveryResult {
  /** The first candidate (in preference order) whose greeting says it is LM Studio; null when none did. */
  found: LmStudioAddress | null;
  /** Every address probed, for the "where Mai looked" part of a not-running message. */
  tried: string[];
}

const defaultProbeTimeoutMs = 1_000;

/**
 * Asks one address whether it is LM Studio: `GET /lmstudio-greeting` must answer 200 with JSON `lmstudio === true`,
 * the same two checks the SDK and `lms` make. Never throws.
 */
export async function probeGreeting(address: LmStudioAddress, timeoutMs = defaultProbeTimeoutMs): Promise<boolean> {
  // Most probed ports have nothing on them: a refused connect says so without loading fetch (~50 ms a command).
  if (await refusedConnection(address.greetingUrl, timeoutMs)) return false;
  try {
    const response = await fetch(address.greetingUrl, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 200) {
      await response.body?.cancel();
      return false;
    }
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && (body as { lmstudio?: unknown }).lmstudio === true;
  } catch {
    return false;
  }
}

/**
 * Finds LM Studio without the SDK's discovery (which crashes the process when nothing answers). All candidates are
 * probed at once so the slowest answer bounds the wait; the earliest candidate that answered wins.
 */
export async function discoverLmStudio(options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const candidates = candidateAddresses(options.url, options.ports, options.publishedPort ?? null);
  const answers = await Promise.all(candidates.map((address) => probeGreeting(address, options.probeTimeoutMs)));
  const index = answers.indexOf(true);
  return {
    found: index === -1 ? null : (candidates[index] ?? null),
    tried: candidates.map((address) => address.baseUrl),
  };
}
