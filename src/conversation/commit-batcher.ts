import type { Queryable } from "../db/client.js";
import type { Session } from "../engine/types.js";
import { commitTurn, commitTurns, type PendingCommit, SessionConflictError, type Turn } from "./store.js";

/** Most steps committed by one statement. */
const MAX_BATCH = 200;

interface Waiting {
  item: PendingCommit;
  resolve(recorded: boolean): void;
  reject(error: unknown): void;
}

/**
 * Group commit for ordinary conversation steps: every step committed during one turn of the event
 * loop (by different contacts) is written by ONE statement ({@link commitTurns}), so under load a
 * step costs a fraction of a round trip instead of a whole one, and alone it costs what it did.
 *
 * Each caller still gets its own answer, exactly as from {@link commitTurn}: resolves true when
 * recorded; for a status query (no session) false when the message was a duplicate; for a step with
 * a session a {@link SessionConflictError} when it was a duplicate or the session changed
 * underneath. If a batch fails as a whole (a deadlock with another process, say), its steps are
 * committed one by one, so one contact's problem never fails another contact's step.
 *
 * Steps that save a report do not come here: they run in their own durable transaction.
 */
export class CommitBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly db: Queryable) {}

  /** Queues one step's commit; resolves when the statement that carried it has committed. */
  commit(turn: Turn, session: Session | null, now: Date): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ item: { turn, session, now }, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.waiting;
    this.waiting = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) void this.write(all.slice(i, i + MAX_BATCH));
  }

  private async write(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.writeOne(batch[0]!);
    let recorded: boolean[];
    try {
      recorded = await commitTurns(
        this.db,
        batch.map((w) => w.item),
      );
    } catch {
      await Promise.all(batch.map((w) => this.writeOne(w)));
      return;
    }
    batch.forEach((w, i) => {
      if (recorded[i] || w.item.session === null) w.resolve(recorded[i]!);
      else w.reject(new SessionConflictError(w.item.turn.contactId));
    });
  }

  private async writeOne({ item, resolve, reject }: Waiting): Promise<void> {
    try {
      resolve(await commitTurn(this.db, item.turn, item.session, item.now));
    } catch (e) {
      reject(e);
    }
  }
}
