import { boolean, index, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./columns.js";
import { offices } from "./offices.js";

/** Where a report can be delivered. `web` is the simulator's office inbox. */
export const DESTINATION_CHANNELS = ["telegram", "whatsapp", "webhook", "web", "wacloud"] as const;
export type DestinationChannel = (typeof DESTINATION_CHANNELS)[number];

/**
 * A place an office receives reports: a Telegram chat id, a WhatsApp chat id, a webhook URL, or
 * the web simulator's inbox. An office with no active destination is skipped by routing.
 */
export const officeDestinations = pgTable(
  "office_destinations",
  {
    id: serial("id").primaryKey(),
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code, { onDelete: "cascade" }),
    channel: text("channel", { enum: DESTINATION_CHANNELS }).notNull(),
    /** Chat id, phone/group id, or URL, depending on the channel. */
    address: text("address").notNull(),
    label: text("label"),
    active: boolean("active").notNull().default(true),
    /** The language of the office chat: cards' buttons, the desk's answers (`id` or `en`). */
    lang: text("lang", { enum: ["id", "en"] })
      .notNull()
      .default("id"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("office_destinations_unique").on(t.officeCode, t.channel, t.address),
    index("office_destinations_office_idx").on(t.officeCode),
  ],
);

export type OfficeDestination = typeof officeDestinations.$inferSelect;
export type NewOfficeDestination = typeof officeDestinations.$inferInsert;
