/** Listeners of one kind of streamed event (answer fragments, load progress): no snapshot, just what happens next. */
export class EventHub<T> {
  private readonly listeners = new Set<(payload: T) => void>();

  emit(payload: T): void {
    for (const listener of this.listeners) listener(payload);
  }

  subscribe(listener: (payload: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
