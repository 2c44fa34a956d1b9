import { and, eq, gt, lt } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { type OfficerPending, officerMessages, officerPending } from "../db/schema/index.js";

/** How long handled officer message ids are kept for de-duplication. */
const KEEP_IDS_MS = 7 * 24 * 3_600_000;
/** How often old message ids are pruned. */
const PRUNE_EVERY_MS = 3_600_000;

/** Where an officer is: the key of what they were last asked. */
export interface DeskSeat {
  channel: string;
  chatId: string;
  userId: string;
}

/** What an officer was last asked: a prompt (answered with text) or a numbered menu. */
export type Pending =
  | { kind: "prompt"; reportNumber: string; command: string; cardRef?: string | undefined }
  | { kind: "menu"; reportNumber: string; actions: string[]; cardRef?: string | undefined };

/**
 * The officers' desk's memory, kept in the database so a restart loses nothing: which officer
 * messages were already handled (a redelivered `/tanya` does not ask twice) and the prompt or menu
 * each officer may answer next. The chats that have something pending are also kept in memory
 * (loaded once from the database), so a citizen's message costs no query.
 */
export class DeskState {
  private seats: Set<string> | undefined;
  private loading: Promise<Set<string>> | undefined;
  private lastPrune = 0;

  constructor(private readonly db: Database) {}

  /**
   * Claims a message id for handling: true the first time, false when it was handled before
   * (by this process or another, before a restart).
   */
  async claim(channel: string, messageId: string, now: Date): Promise<boolean> {
    if (now.getTime() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now.getTime();
      await this.db
        .delete(officerMessages)
        .where(lt(officerMessages.handledAt, new Date(now.getTime() - KEEP_IDS_MS)));
    }
    const rows = await this.db
      .insert(officerMessages)
      .values({ channel, messageId, handledAt: now })
      .onConflictDoNothing()
      .returning({ id: officerMessages.messageId });
    return rows.length > 0;
  }

  /** Remembers what `seat` may answer next (replacing what was there) until `expiresAt`. */
  async remember(seat: DeskSeat, pending: Pending, expiresAt: Date): Promise<void> {
    const row = {
      ...seat,
      kind: pending.kind,
      reportNumber: pending.reportNumber,
      command: pending.kind === "prompt" ? pending.command : null,
      actions: pending.kind === "menu" ? pending.actions : null,
      cardRef: pending.cardRef ?? null,
      expiresAt,
    };
    const { channel: _c, chatId: _ch, userId: _u, ...set } = row;
    await this.db
      .insert(officerPending)
      .values(row)
      .onConflictDoUpdate({
        target: [officerPending.channel, officerPending.chatId, officerPending.userId],
        set,
      });
    (await this.known()).add(key(seat));
  }

  /** What `seat` may answer now, if anything (expired entries are forgotten). */
  async pending(seat: DeskSeat, now: Date): Promise<Pending | undefined> {
    if (!(await this.known()).has(key(seat))) return undefined;
    const [row] = await this.db
      .select()
      .from(officerPending)
      .where(
        and(
          eq(officerPending.channel, seat.channel),
          eq(officerPending.chatId, seat.chatId),
          eq(officerPending.userId, seat.userId),
          gt(officerPending.expiresAt, now),
        ),
      );
    if (!row) {
      this.seats?.delete(key(seat));
      return undefined;
    }
    return toPending(row);
  }

  /** Forgets what `seat` was asked (it was answered, or the officer did something else). */
  async forget(seat: DeskSeat): Promise<void> {
    if (!(await this.known()).has(key(seat))) return;
    this.seats?.delete(key(seat));
    await this.db
      .delete(officerPending)
      .where(
        and(
          eq(officerPending.channel, seat.channel),
          eq(officerPending.chatId, seat.chatId),
          eq(officerPending.userId, seat.userId),
        ),
      );
  }

  private known(): Promise<Set<string>> {
    if (this.seats) return Promise.resolve(this.seats);
    this.loading ??= this.db
      .select({
        channel: officerPending.channel,
        chatId: officerPending.chatId,
        userId: officerPending.userId,
      })
      .from(officerPending)
      .where(gt(officerPending.expiresAt, new Date()))
      .then((rows) => {
        this.seats = new Set(rows.map(key));
        return this.seats;
      });
    return this.loading;
  }
}

function key(seat: DeskSeat): string {
  return `${seat.channel}|${seat.chatId}|${seat.userId}`;
}

function toPending(row: OfficerPending): Pending {
  const cardRef = row.cardRef ?? undefined;
  return row.kind === "prompt"
    ? { kind: "prompt", reportNumber: row.reportNumber, command: row.command ?? "", cardRef }
    : { kind: "menu", reportNumber: row.reportNumber, actions: row.actions ?? [], cardRef };
}
