/**
 * The lines of a streamed body as they arrive: what NDJSON (Ollama) and server-sent events (OpenAI) are made of. A
 * line split across network chunks is joined; a multi-byte character split across them is decoded whole.
 */
export async function* linesOf(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let pending = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        yield pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
    }
    pending += decoder.decode();
    if (pending !== '') yield pending.replace(/\r$/, '');
  } finally {
    // Stopping early (a cancel, a stall) must let go of the connection.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
