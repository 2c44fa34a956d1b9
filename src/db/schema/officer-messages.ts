import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Officers' messages and button presses already handled (by the platform's message or callback
 * id), so a webhook redelivery or a long-poll restart after a crash does not run `/tanya` (or a
 * button) twice. Rows older than a week are pruned by the officers' desk.
 */
export const officerMessages = pgTable(
  "officer_messages",
  {
    channel: text("channel").notNull(),
    messageId: text("message_id").notNull(),
    handledAt: timestamp("handled_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.messageId] })],
);
