/**
 * Turns due occurrences into runs. Every tick (and at start-up) it reads the active broadcasts from
 * the database, asks {@link dueOccurrence} what is due now (from the schedule, the election calendar
 * and the broadcast's latest run), and creates that run with its delivery rows in one transaction.
 * Runs are unique per (broadcast, occurrence), so a restart, a late tick or a second process never
 * makes the same run twice: the schedule lives in the database, not in timers.
 *
 * Each tick also marks deliveries left `sending` by a dead sender as `interrupted`, finishes runs
 * with nothing left to send, and finishes broadcasts with no occurrence left.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { type Database, rowsOf } from "../db/client.js";
import { type Broadcast, broadcastRuns, broadcasts } from "../db/schema/index.js";
import type { Logger } from "../log.js";
import { insertDeliveries } from "./audience.js";
import type { ElectionCalendar } from "./calendar.js";
import { finishRuns, sweepInterrupted } from "./dispatcher.js";
import { dueOccurrence, nextOccurrence, ScheduleSchema } from "./schedule.js";

/** A run just created. */
export interface CreatedRun {
  runId: number;
  recipients: number;
}

/**
 * Creates the run of `occurrence` with its delivery rows (INSERT … SELECT), or resolves to undefined
 * when that run exists already. A preview goes to `testAddress` only.
 */
export async function createRun(
  db: Database,
  broadcast: Pick<Broadcast, "id" | "audience" | "regions" | "testAddress">,
  occurrence: Date,
  options: { preview?: boolean; testAddress?: string; now?: Date } = {},
): Promise<CreatedRun | undefined> {
  const preview = options.preview ?? false;
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(broadcastRuns)
      .values({ broadcastId: broadcast.id, occurrenceAt: occurrence, preview })
      .onConflictDoNothing()
      .returning({ id: broadcastRuns.id });
    if (!run) return undefined;
    const target = preview
      ? { audience: "test" as const, regions: [], testAddress: options.testAddress ?? broadcast.testAddress }
      : broadcast;
    const recipients = await insertDeliveries(tx, run.id, target);
    await tx
      .update(broadcastRuns)
      .set({
        recipients,
        ...(recipients === 0 ? { status: "done" as const, finishedAt: options.now ?? new Date() } : {}),
      })
      .where(eq(broadcastRuns.id, run.id));
    return { runId: run.id, recipients };
  });
}

/** What the scheduler needs. */
export interface SchedulerOptions {
  db: Database;
  calendar: ElectionCalendar;
  logger: Logger;
  /** How long a claimed row may stay `sending` before it counts as interrupted. */
  leaseMs: number;
  /** Called after a run was created (e.g. to wake the dispatcher). */
  onRunCreated?: (run: CreatedRun) => void;
  now?: () => Date;
}

/** See the module comment. */
export class BroadcastScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Ticks now and then every `intervalMs`. */
  start(intervalMs: number): void {
    const run = () => {
      this.ticking = this.tick()
        .catch((e: unknown) => this.options.logger.error({ err: e }, "broadcast scheduler tick failed"))
        .finally(() => {
          this.ticking = undefined;
          if (this.timer !== undefined) this.timer = setTimeout(run, intervalMs);
        });
    };
    this.timer = setTimeout(run, 0);
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** One look at the database: creates due runs; resolves to the runs created. */
  async tick(): Promise<CreatedRun[]> {
    const { db, calendar, logger, leaseMs } = this.options;
    const now = this.now();
    const interrupted = await sweepInterrupted(db, now, leaseMs);
    if (interrupted > 0)
      logger.warn({ interrupted }, "broadcast deliveries interrupted by a dead sender; not resent");
    const created: CreatedRun[] = [];
    const active = await db.select().from(broadcasts).where(eq(broadcasts.status, "active"));
    for (const b of active) {
      const schedule = ScheduleSchema.safeParse(b.schedule);
      if (!schedule.success || !b.startedAt) {
        logger.error({ broadcast: b.id }, "broadcast has an invalid schedule; skipped");
        continue;
      }
      const [last] = await db
        .select({ at: broadcastRuns.occurrenceAt })
        .from(broadcastRuns)
        .where(and(eq(broadcastRuns.broadcastId, b.id), eq(broadcastRuns.preview, false)))
        .orderBy(desc(broadcastRuns.occurrenceAt))
        .limit(1);
      const ctx = { calendar, startedAt: b.startedAt, lastOccurrence: last?.at };
      let due: Date | undefined;
      try {
        due = dueOccurrence(schedule.data, now, ctx);
      } catch (e) {
        logger.error({ err: e, broadcast: b.id }, "broadcast schedule cannot be evaluated; skipped");
        continue;
      }
      if (due) {
        const run = await createRun(db, b, due, { now });
        if (run) {
          created.push(run);
          logger.info(
            { broadcast: b.id, run: run.runId, recipients: run.recipients },
            "broadcast run created",
          );
          this.options.onRunCreated?.(run);
        }
        continue;
      }
      if (!nextOccurrence(schedule.data, now, ctx) || (schedule.data.kind !== "cron" && last)) {
        const open = rowsOf<{ n: number }>(
          await db.execute(
            sql`select count(*)::int as n from broadcast_runs where broadcast_id = ${b.id} and status = 'sending'`,
          ),
        )[0];
        if (Number(open?.n ?? 0) === 0) {
          await db
            .update(broadcasts)
            .set({ status: "finished", finishedAt: now })
            .where(and(eq(broadcasts.id, b.id), eq(broadcasts.status, "active")));
          logger.info({ broadcast: b.id }, "broadcast finished");
        }
      }
    }
    await finishRuns(db, "all", now.toISOString());
    return created;
  }
}
