import { bigserial, boolean, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { offices } from "./offices.js";

/**
 * A Bawaslu officer: someone allowed to act on the reports an office holds, identified by channel
 * and the platform's user id (Telegram user id, WhatsApp id). Registered with an invite code.
 */
export const officers = pgTable(
  "officers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    /** Display name from the platform, for the audit log and admins; never shown to reporters. */
    displayName: text("display_name"),
    active: boolean("active").notNull().default(true),
    /** The language the bot speaks to this officer in a private chat (`id` or `en`). */
    lang: text("lang", { enum: ["id", "en"] })
      .notNull()
      .default("id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("officers_office_user_unique").on(t.officeCode, t.channel, t.userId),
    index("officers_user_idx").on(t.channel, t.userId),
  ],
);

export type Officer = typeof officers.$inferSelect;
