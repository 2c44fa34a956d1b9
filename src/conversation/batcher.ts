/** Most items carried by one statement. */
const MAX_BATCH = 200;

interface Waiting<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/**
 * Group work of different contacts into one database statement (group commit): items submitted
 * while the statements in flight run are handed to `run` together when one completes, so under
 * load an item costs a fraction of a round trip (and of a socket write and a server-side parse),
 * batches grow with the load by themselves, and alone an item costs what it did. Keeping only a
 * couple of statements in flight also keeps the database from being flooded with concurrent
 * statements on a small machine (measured in BENCHMARKS.md).
 * Each caller still gets its own result. When a batch fails as a whole (a deadlock with another
 * process, say), its items are run again one by one, so one contact's problem never fails another
 * contact's step.
 *
 * @example
 * const commits = new Batcher((items) => commitTurns(db, items));
 * const recorded = await commits.submit({ turn, session, now });
 */
export class Batcher<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private scheduled = false;
  private inFlight = 0;

  /**
   * `run` receives the items in order and must resolve to one result per item, in the same order.
   * At most `maxInFlight` statements run at once; items arriving meanwhile wait for one of them to
   * complete and then go together (group commit: batches grow with the load, by themselves).
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxInFlight = 2,
  ) {}

  /** Queues one item; resolves with its result once the statement that carried it has completed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.waiting.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async write(batch: Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.run(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error("batch returned the wrong number of results");
    } catch (e) {
      if (batch.length === 1) {
        batch[0]!.reject(e);
        return;
      }
      await Promise.all(batch.map((w) => this.write([w])));
      return;
    }
    for (const [i, w] of batch.entries()) w.resolve(results[i]!);
  }
}
