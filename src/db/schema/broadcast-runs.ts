import {
  bigint,
  bigserial,
  boolean,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { broadcasts } from "./broadcasts.js";

/**
 * One occurrence of a broadcast (a one-off has one; "every Monday 08:00" has one per Monday), or a
 * preview to the test audience. Its delivery rows are created with it, in the same transaction.
 * Unique per (broadcast, occurrence): two schedulers, or a restart, cannot make the same run twice.
 */
export const broadcastRuns = pgTable(
  "broadcast_runs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    broadcastId: bigint("broadcast_id", { mode: "number" })
      .notNull()
      .references(() => broadcasts.id),
    /** The scheduled instant this run stands for. */
    occurrenceAt: timestamp("occurrence_at", { withTimezone: true }).notNull(),
    preview: boolean("preview").notNull().default(false),
    status: text("status", { enum: ["sending", "done", "cancelled"] })
      .notNull()
      .default("sending"),
    recipients: integer("recipients").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("broadcast_runs_occurrence_unique").on(t.broadcastId, t.occurrenceAt, t.preview)],
);

export type BroadcastRun = typeof broadcastRuns.$inferSelect;
