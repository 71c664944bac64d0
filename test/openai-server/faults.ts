/** Knobs that make the OpenAI-compatible server misbehave the ways a real one, or the network to it, can. */
export interface OpenAiFaults {
  /** Accept connections and never answer: a frozen server, or a firewall that swallows replies. */
  neverAnswer?: boolean;
  /** Stream this many content chunks, then nothing more (the connection stays open). */
  stallAfterChunks?: number;
  /** Cut the connection after this many content chunks: the host went away mid-answer. */
  dropAfterChunks?: number;
}
