import type { LoadedConversation } from './readConversation';

/**
 * The conversations a store works in, kept in memory (their records and current branch) so a turn need not read
 * its file again; the least recently used goes once more than `max` are kept (reopening one is a cheap read).
 */
export class KeptConversations {
  private readonly kept = new Map<string, LoadedConversation>();

  constructor(private readonly max: number) {}

  get(id: string): LoadedConversation | undefined {
    return this.kept.get(id);
  }

  /** Keeps it as the most recently used; returns it. */
  keep(conversation: LoadedConversation): LoadedConversation {
    this.kept.delete(conversation.id);
    this.kept.set(conversation.id, conversation);
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= this.max) break;
      this.kept.delete(oldest);
    }
    return conversation;
  }

  clear(): void {
    this.kept.clear();
  }
}
