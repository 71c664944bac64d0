/**
 * Runs tasks one after another. A loaded model has one context sequence, and two generations on one sequence would
 * overwrite each other's KV cache, so generations on a model wait their turn here.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // The chain must survive a failed task; the caller still sees the failure through `result`.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  drain(): Promise<void> {
    return this.run(async () => undefined);
  }
}
