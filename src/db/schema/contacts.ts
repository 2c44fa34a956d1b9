import { bigserial, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Channels a citizen or officer talks to the bot through. */
export const CHANNELS = ["telegram", "whatsapp", "wacloud", "web"] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * Someone who talks to the bot, identified by channel and the platform's id (Telegram chat id,
 * WhatsApp id, simulator visitor id). Holds no name or phone: identity is asked for only on the
 * formal track and kept with the report.
 */
export const contacts = pgTable(
  "contacts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    externalId: text("external_id").notNull(),
    lang: text("lang", { enum: ["id", "en"] })
      .notNull()
      .default("id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("contacts_channel_external_unique").on(t.channel, t.externalId)],
);

export type Contact = typeof contacts.$inferSelect;
