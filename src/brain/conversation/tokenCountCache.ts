/**
 * Token counts of stored messages, per (model, message id). A message never changes once stored, so its count for a
 * model is computed once and reused on every later turn; only the new messages of a turn reach the tokenizer.
 * The content's length is kept beside the count as a guard: a reused id with other text is counted afresh.
 */
export interface MessageTokenCache {
  get(messageId: string, content: string): number | undefined;
  set(messageId: string, content: string, tokens: number): void;
}

// ~100 bytes an entry: 20,000 entries (a few long conversations on a few models) stay near 2 MB.
const defaultMaxEntries = 20_000;

export class TokenCountCache {
  private readonly entries = new Map<string, { tokens: number; contentLength: number }>();

  constructor(private readonly maxEntries = defaultMaxEntries) {}

  /** The counts for one model's tokenizer (counts of different tokenizers never mix). */
  forModel(modelKey: string): MessageTokenCache {
    const keyOf = (messageId: string) => `${modelKey}\u0000${messageId}`;
    return {
      get: (messageId, content) => {
        const key = keyOf(messageId);
        const entry = this.entries.get(key);
        if (entry === undefined || entry.contentLength !== content.length) return undefined;
        // Re-inserted so the map's order is least recently used first, for eviction.
        this.entries.delete(key);
        this.entries.set(key, entry);
        return entry.tokens;
      },
      set: (messageId, content, tokens) => {
        const key = keyOf(messageId);
        this.entries.delete(key);
        this.entries.set(key, { tokens, contentLength: content.length });
        for (const oldest of this.entries.keys()) {
          if (this.entries.size <= this.maxEntries) break;
          this.entries.delete(oldest);
        }
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }
}
