import type { IncomingMessage } from 'node:http';
import { fail, type Result } from '../shared/contract';

/** Bodies of API requests (and WebSocket frames) are small JSON objects; 1 MiB stops a client from filling memory. */
export const maxBodyBytes = 1024 * 1024;

/** Reads a JSON body; `tooLarge` marks a body over the limit, whose connection must close (the rest is unread). */
export async function readJsonBody(request: IncomingMessage): Promise<Result<unknown> & { tooLarge?: boolean }> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) {
    return {
      ...fail('bad_request', `request body is ${declared} bytes, over the limit of ${maxBodyBytes} bytes`),
      tooLarge: true,
    };
  }
  // A chunked body declares no length, so the limit is also counted as it arrives.
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      return { ...fail('bad_request', `request body over the limit of ${maxBodyBytes} bytes`), tooLarge: true };
    }
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
  } catch (error) {
    // JSON.parse names the position of the client's own mistake, nothing of the server.
    return fail('bad_request', `request body is not JSON: ${(error as Error).message}`);
  }
}
