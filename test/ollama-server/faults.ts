/** Knobs that make the Ollama-compatible server misbehave the ways a real Ollama, or a network to a host, can. */
export interface OllamaFaults {
  /** Accept connections and never answer anything: a host that froze, or a firewall that swallows replies. */
  neverAnswer?: boolean;
  /** Stream this many chunks of an answer, then nothing more (the connection stays open): a frozen runner. */
  stallChatAfterChunks?: number;
  /** Cut the connection after this many chunks of an answer: the host went away mid-answer. */
  dropChatAfterChunks?: number;
  /** After this many chunks, end the stream with `{"error": …}`, as Ollama reports a failed runner. */
  errorChatAfterChunks?: number;
  /** Answer every request 401 unless it carries `Authorization: Bearer <token>`: Ollama behind a proxy that wants one. */
  requireToken?: string;
}
