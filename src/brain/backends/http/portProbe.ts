import { connect } from 'node:net';

/**
 * Whether anything listens at a URL's host and port, by a bare TCP connect: the common answer on a machine
 * without Ollama (or the OpenAI-compatible server) is "refused", and learning it this way costs a connect instead of
 * loading Node's fetch, ~50 ms of every `mai` command that looks for the engine (measured with --cpu-prof). Resolves
 * with the refusal's code (ECONNREFUSED, EHOSTUNREACH, …), or null when something answered or the wait ran out: the
 * real request then tells what is there.
 */
export function refusedConnection(baseUrl: string, timeoutMs: number): Promise<string | null> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (refusal: string | null) => {
      socket.destroy();
      resolve(refusal);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'ECONNREFUSED'));
  });
}
