import { bigint, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Platform message ids already handled, so a platform that delivers the same update twice
 * (webhook retries, long-poll restarts) does not advance a conversation twice. Old rows may be pruned.
 */
export const inboundMessages = pgTable(
  "inbound_messages",
  {
    channel: text("channel").notNull(),
    messageId: text("message_id").notNull(),
    contactId: bigint("contact_id", { mode: "number" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.messageId] })],
);
