import type { Instance } from '../server/instanceFile';
import { connectHost } from '../server/instanceFile';
import { parseResponse, type Request, type RequestName, type ResponseValue, type Result } from '../shared/contract';
import { CliError } from './exitCodes';

/** A switch may wait for the instance to unload one model and load another; a minute covers large models. */
const requestTimeoutMs = 60_000;

/**
 * Sends one contract request to a running Mai over its web bridge's HTTP API, with its token; the answer is checked
 * against the contract, so callers get it typed.
 */
export async function requestInstance<N extends RequestName>(
  instance: Instance,
  request: Request<N>,
): Promise<Result<ResponseValue<N>>> {
  const { name, payload } = request;
  const host = connectHost(instance);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${instance.port}/api/request`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${instance.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, payload }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    throw new CliError(
      `the running Mai (pid ${instance.pid}) did not answer at ${url}: ${(error as Error).message}. Is it still starting?`,
    );
  }
  const body = (await response.json().catch(() => null)) as Result<unknown> | null;
  if (body === null || typeof body !== 'object' || !('ok' in body)) {
    throw new CliError(`the running Mai (pid ${instance.pid}) gave an unreadable answer (HTTP ${response.status})`);
  }
  return body.ok ? parseResponse(name, body.value) : body;
}
