import { jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * What an officer was last asked in a chat and may answer with their next message: a prompt
 * ("write the question for the reporter", answered with text) or a numbered menu (answered with a
 * number, on channels without buttons). Kept in the database so a restart does not lose it.
 */
export const officerPending = pgTable(
  "officer_pending",
  {
    channel: text("channel").notNull(),
    chatId: text("chat_id").notNull(),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["prompt", "menu"] }).notNull(),
    /** The report's tracking number. */
    reportNumber: text("report_number").notNull(),
    /** A prompt: the command its answer becomes (`tanya`, `teruskan`, `tolak`). */
    command: text("command"),
    /** A menu: its actions in the order they are numbered. */
    actions: jsonb("actions").$type<string[]>(),
    /** Where the report's card is in this chat (the channel's message id), to update it after. */
    cardRef: text("card_ref"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.chatId, t.userId] })],
);

export type OfficerPending = typeof officerPending.$inferSelect;
