import { request as httpRequest } from 'node:http';
import { connectHost, type Instance } from '../server/instanceFile';
import type { ContractError, Result } from '../shared/contract';

/** The base of a running Mai's web bridge, as the CLI reaches it (a server on every interface is on loopback). */
export function instanceOrigin(instance: Instance): { host: string; port: number; label: string } {
  const host = connectHost(instance);
  return { host, port: instance.port, label: `http://${host.includes(':') ? `[${host}]` : host}:${instance.port}` };
}

function failure(message: string, detail?: ContractError['detail']): { ok: false; error: ContractError } {
  return { ok: false, error: detail ? { code: 'unavailable', message, detail } : { code: 'unavailable', message } };
}

/**
 * One contract request to a running Mai over its bridge's HTTP API (`POST /api/request`, with its token), through
 * node:http rather than fetch: fetch costs a command ~50 ms to load before its first byte (--cpu-prof), which is
 * most of what an attached `mai status` has. `timeoutMs` null waits as long as the answer takes (an answer being
 * written). Never throws: an unreachable Mai is a failure value naming it.
 */
export function postRequest(
  instance: Instance,
  body: { name: string; payload: unknown },
  timeoutMs: number | null,
): Promise<Result<unknown>> {
  const { host, port, label } = instanceOrigin(instance);
  const text = JSON.stringify(body);
  return new Promise((resolve) => {
    const request = httpRequest(
      {
        host,
        port,
        method: 'POST',
        path: '/api/request',
        headers: {
          authorization: `Bearer ${instance.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<unknown>;
            if (parsed !== null && typeof parsed === 'object' && 'ok' in parsed) return resolve(parsed);
          } catch {
            // fall through to the unreadable answer
          }
          resolve(
            failure(`the running Mai (pid ${instance.pid}) gave an unreadable answer (HTTP ${response.statusCode})`),
          );
        });
      },
    );
    if (timeoutMs !== null) {
      request.setTimeout(timeoutMs, () =>
        request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
      );
    }
    request.on('error', (error) =>
      resolve(
        failure(
          `the running Mai (pid ${instance.pid}) did not answer at ${label}: ${error.message}. Is it still starting?`,
          'disconnected',
        ),
      ),
    );
    request.end(text);
  });
}
