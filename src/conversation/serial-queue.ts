/**
 * Runs tasks one at a time per key (a contact), concurrently across keys, so one contact's
 * messages are handled strictly in the order they arrived while different contacts never wait for
 * each other. A failing task does not block the ones after it.
 */
export class SerialQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Queues `task` behind every earlier task of `key`; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many keys have work queued or running. */
  get activeKeys(): number {
    return this.tails.size;
  }

  /** Resolves when every task queued so far has finished. */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
