import { linesOf } from './lines';

/**
 * The data of each server-sent event (the WHATWG event-stream format an OpenAI-compatible server streams): `data:`
 * lines joined by newlines, dispatched at a blank line; comments (`:` keep-alives) and other fields ignored.
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let data: string[] = [];
  for await (const line of linesOf(body)) {
    if (line === '') {
      if (data.length > 0) yield data.join('\n');
      data = [];
    } else if (line.startsWith('data:')) {
      data.push(line.slice(5).replace(/^ /, ''));
    }
  }
  if (data.length > 0) yield data.join('\n');
}
