import {
  bigint,
  bigserial,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { broadcastRuns } from "./broadcast-runs.js";

/**
 * What happened to one delivery of a run:
 * - `pending`: not sent yet; `sending`: claimed by a sender, outcome not recorded yet;
 * - `sent`, `failed` (gave up, `error_class` says why), `blocked` (the contact blocked the bot or
 *   is gone: unsubscribed), `cancelled` (the broadcast was cancelled first);
 * - `interrupted`: found `sending` after its sender died. It may or may not have arrived, and it is
 *   never sent again (at most once: better one reminder missed than one sent twice).
 */
export const BROADCAST_DELIVERY_STATUSES = [
  "pending",
  "sending",
  "sent",
  "failed",
  "blocked",
  "cancelled",
  "interrupted",
] as const;

/**
 * One row per (run, recipient), created before anything is sent (INSERT … SELECT from the
 * subscribers or officers). The unique constraint makes "the same run twice to one chat" impossible.
 */
export const broadcastDeliveries = pgTable(
  "broadcast_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    runId: bigint("run_id", { mode: "number" })
      .notNull()
      .references(() => broadcastRuns.id),
    channel: text("channel").notNull(),
    /** The chat to send to (Telegram chat id, WhatsApp id). Never logged. */
    address: text("address").notNull(),
    lang: text("lang", { enum: ["id", "en"] }).notNull(),
    subscriberId: bigint("subscriber_id", { mode: "number" }),
    officerId: bigint("officer_id", { mode: "number" }),
    status: text("status", { enum: BROADCAST_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** blocked, chat_not_found, rate_limited, server, network, bad_request, unknown. */
    errorClass: text("error_class"),
    error: text("error"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("broadcast_deliveries_run_recipient_unique").on(t.runId, t.channel, t.address),
    index("broadcast_deliveries_status_idx").on(t.status, t.id),
  ],
);

export type BroadcastDelivery = typeof broadcastDeliveries.$inferSelect;
