/**
 * Runs tasks one at a time per key, in arrival order, and different keys in parallel. The write
 * path queues by stream so a node never races itself for a stream's head: without it, 25
 * check-ins arriving together on one node fought each other's optimistic appends (issue 8).
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(task);
    // The tail settles either way, so one failed task never blocks the next.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
