import type { ConversationStore } from './ConversationStore';

/** Which conversation Mai is in: messages go there, and so do the decisions taken while it is open. */
export class CurrentConversation {
  private id: string | null = null;

  constructor(readonly store: ConversationStore) {}

  /** The conversation Mai is in, created on first use. */
  ensure(): string {
    this.id ??= this.store.create();
    return this.id;
  }

  /** The current one, or null before the first message or new conversation. */
  peek(): string | null {
    return this.id;
  }

  startNew(): string {
    this.id = this.store.create();
    return this.id;
  }

  /** Makes a stored conversation current; later messages continue it. Throws ConversationError for a bad id. */
  open(id: string) {
    const conversation = this.store.open(id);
    this.id = conversation.id;
    return conversation;
  }

  /** Deletes a conversation (undo: `store.restore`); Mai leaves it when it is the current one. */
  delete(id: string): void {
    this.store.delete(id);
    if (this.id === id) this.id = null;
  }

  messages() {
    return this.store.messages(this.ensure());
  }
}
