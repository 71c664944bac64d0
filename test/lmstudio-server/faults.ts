/** Knobs that make the server misbehave the ways a real LM Studio (or a network) can, for adapter tests. */
export interface ServerFaults {
  /** Hold every reply of these endpoints (rpc result, or the start of a channel) for this long. */
  delayMs?: Record<string, number>;
  /** These endpoints never answer: LM Studio's behaviour for a reply the SDK cannot parse, an unknown endpoint... */
  neverAnswer?: string[];
  /** Drop the socket after streaming this many fragments of a prediction. */
  dropConnectionAfterFragments?: number;
  /** Send fragments without `reasoningType`: the SDK drops each one and resolves with empty text (§7.1). */
  malformedFragments?: boolean;
  /** Refuse every client at the auth handshake with this error (as LM Studio does for a wrong passkey). */
  refuseClients?: string;
  /** Refuse every load with a channelError carrying this title (and cause/suggestion when given). */
  refuseLoad?: { title: string; cause?: string; suggestion?: string };
}
