import type { Instance } from '../server/instanceFile';
import { connectHost } from '../server/instanceFile';
import type { Result } from '../shared/contract';
import { CliError } from './exitCodes';

/** A switch may wait for the instance to unload one model and load another; a minute covers large models. */
const requestTimeoutMs = 60_000;

/** Sends one contract request to a running Mai over its web bridge, as the dashboard would, with its token. */
export async function requestInstance(instance: Instance, name: string, payload: unknown): Promise<Result<unknown>> {
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
  return body;
}
