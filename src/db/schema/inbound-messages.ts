import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Platform message ids already handled, so a platform that delivers the same update twice
 * (webhook retries, long-poll restarts) does not advance a conversation twice. Old rows may be pruned.
 *
 * It is also the outbox of replies: `reply` holds what the bot decided to answer to the message
 * (the engine's outputs, their language and when), written in the same statement as the
 * conversation step, and cleared once the reply went out (so the text, which may repeat what the
 * reporter typed, is not kept). A row whose `reply` is still set after a crash or a long outage is
 * sent again by `src/delivery/outbound/replies.ts`.
 */
export const inboundMessages = pgTable(
  "inbound_messages",
  {
    channel: text("channel").notNull(),
    messageId: text("message_id").notNull(),
    contactId: bigint("contact_id", { mode: "number" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    reply: jsonb("reply").$type<StoredReply>(),
  },
  (t) => [
    primaryKey({ columns: [t.channel, t.messageId] }),
    index("inbound_messages_reply_pending").on(t.receivedAt).where(sql`reply is not null`),
  ],
);

/** A reply waiting to be sent: the engine's outputs (already filled in), their language, when it was decided. */
export interface StoredReply {
  outputs: unknown[];
  lang: string;
  /** ISO time of the step; orders a contact's pending replies. */
  at: string;
}
