import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** What an outbox job does. */
export const OUTBOX_KINDS = [
  "deliver_report",
  "notify_contact",
  "relay_to_office",
  "reminder",
  "digest",
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
/** One part of a delivery that went out (see `sentParts`). */
export interface SentPart {
  part: number;
  kind: string;
  at: string;
  /** The part was in flight when its previous holder died and was sent again: it may have arrived twice. */
  resent?: boolean;
}

export const OUTBOX_STATUSES = ["pending", "done", "failed"] as const;

/**
 * Work to do after a commit: deliver a report to an office destination, notify a reporter. Rows
 * are written in the same transaction as what caused them and retried by the delivery worker until
 * done or failed (visible to admins). `progress` counts the parts of a multi-message delivery
 * already sent, so a restart resumes after the last part instead of sending the card again.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind", { enum: OUTBOX_KINDS }).notNull(),
    /** Unique per job, e.g. "deliver:<report id>:<destination>": a job is never queued twice. */
    dedupeKey: text("dedupe_key").notNull(),
    reportId: bigint("report_id", { mode: "number" }),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    officeCode: text("office_code"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    progress: integer("progress").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    /** The claim that holds the job (a random token per claim): only its holder records progress. */
    lockedBy: text("locked_by"),
    /** The part being sent now; still set after a crash when that part may or may not have gone out. */
    partInFlight: integer("part_in_flight"),
    /** Which parts went, in order: index, kind, how many platform messages, when, and whether resent after a crash. */
    sentParts: jsonb("sent_parts").$type<SentPart[]>().notNull().default([]),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("outbox_dedupe_unique").on(t.dedupeKey),
    index("outbox_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

export type OutboxJob = typeof outbox.$inferSelect;
export type NewOutboxJob = typeof outbox.$inferInsert;
