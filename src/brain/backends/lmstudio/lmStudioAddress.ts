import { BackendError } from '../ModelBackend';

/** Where LM Studio might answer: the WebSocket base the SDK needs and the HTTP greeting Mai probes first. */
export interface LmStudioAddress {
  /** `ws://host:port[/prefix]`, never with a trailing slash (the SDK rejects one). */
  baseUrl: string;
  /** `http://host:port[/prefix]/lmstudio-greeting`, on the same host and port as the WebSockets. */
  greetingUrl: string;
}

/** LM Studio's default server port: what a person sees in its Developer tab. */
export const lmStudioDefaultPort = 1234;

/**
 * The ports the SDK's own discovery probes (index.cjs `apiServerPorts`). Mai probes them itself, because the SDK's
 * discovery turns "nothing answers" into an unhandled rejection that kills the process.
 */
export const lmStudioSdkPorts: readonly number[] = [41343, 52993, 16141, 39414, 22931];

/**
 * Checks a user-given LM Studio URL (MAI_LMSTUDIO_URL) the way the SDK's constructor would, so a bad value is a
 * sentence for a person instead of a boxed SDK error.
 */
export function parseLmStudioUrl(raw: string, source = 'MAI_LMSTUDIO_URL'): LmStudioAddress {
  const invalid = (why: string) =>
    new BackendError('not_running', `${source}=${raw} is not a usable LM Studio address: ${why}.`, 'lmstudio');
  // "127.0.0.1:1234" is the usual slip; say what is missing rather than "not a URL".
  if (!raw.includes('://')) throw invalid('it must start with ws:// or wss:// (e.g. ws://127.0.0.1:1234)');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid('it is not a URL (expected something like ws://127.0.0.1:1234)');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw invalid('it must start with ws:// or wss://');
  if (url.search !== '') throw invalid('it must not carry a query string');
  if (url.hash !== '') throw invalid('it must not carry a #fragment');
  if (url.username !== '' || url.password !== '') throw invalid('it must not carry a user name or password');
  // A path prefix is allowed (reverse proxies); the SDK appends "/<namespace>" itself.
  const prefix = url.pathname.replace(/\/+$/, '');
  const hostPort = url.host;
  const httpScheme = url.protocol === 'wss:' ? 'https:' : 'http:';
  return {
    baseUrl: `${url.protocol}//${hostPort}${prefix}`,
    greetingUrl: `${httpScheme}//${hostPort}${prefix}/lmstudio-greeting`,
  };
}

/** The address of an LM Studio server on a local port. */
export function localAddress(port: number, host = '127.0.0.1'): LmStudioAddress {
  return parseLmStudioUrl(`ws://${host}:${port}`, 'address');
}

/**
 * Where to look, in order: only the configured URL when there is one (the person said where), otherwise the port
 * LM Studio published in its own folder (where it actually listens, as lms looks first), then the local default
 * port and the SDK's ports.
 */
export function candidateAddresses(
  configuredUrl: string | undefined,
  ports?: readonly number[],
  publishedPort: number | null = null,
): LmStudioAddress[] {
  if (configuredUrl !== undefined && configuredUrl.trim() !== '') return [parseLmStudioUrl(configuredUrl)];
  const wanted = [
    ...(publishedPort === null ? [] : [publishedPort]),
    ...(ports ?? [lmStudioDefaultPort, ...lmStudioSdkPorts]),
  ];
  return [...new Set(wanted)].map((port) => localAddress(port));
}
