import { sql } from "drizzle-orm";
import { bigint, bigserial, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { contacts } from "./contacts.js";

/** Who a subscriber said they are: a citizen (warga) or a civil servant (ASN). */
export const SUBSCRIBER_ROLES = ["warga", "asn"] as const;
/** How far a subscription reaches: one regency, one province, or all of Indonesia. */
export const SUBSCRIPTION_SCOPES = ["regency", "province", "national"] as const;

/**
 * One opt-in to the neutrality reminders. Rows are never deleted (accountability): opting out
 * fills `opted_out_*`; subscribing again (e.g. another regency) closes the old row as `replaced`
 * and opens a new one. At most one open row per contact.
 */
export const broadcastSubscribers = pgTable(
  "broadcast_subscribers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    channel: text("channel").notNull(),
    role: text("role", { enum: SUBSCRIBER_ROLES }).notNull(),
    scope: text("scope", { enum: SUBSCRIPTION_SCOPES }).notNull(),
    /** Kemendagri regency code ("18.72") for a regency scope. */
    regencyCode: text("regency_code"),
    /** Province code ("18") for a regency or province scope. */
    provinceCode: text("province_code"),
    lang: text("lang", { enum: ["id", "en"] }).notNull(),
    optedInAt: timestamp("opted_in_at", { withTimezone: true }).notNull().defaultNow(),
    /** How they opted in ("flow:subscribe"). */
    optedInVia: text("opted_in_via").notNull(),
    optedOutAt: timestamp("opted_out_at", { withTimezone: true }),
    /** How they left: "word" (berhenti/stop), "blocked" (platform said so), "replaced", "admin". */
    optedOutVia: text("opted_out_via"),
    /** The word typed, or the platform's error description. */
    optedOutReason: text("opted_out_reason"),
  },
  (t) => [
    uniqueIndex("broadcast_subscribers_open_contact_unique")
      .on(t.contactId)
      .where(sql`${t.optedOutAt} is null`),
    index("broadcast_subscribers_region_idx")
      .on(t.provinceCode, t.regencyCode)
      .where(sql`${t.optedOutAt} is null`),
  ],
);

export type BroadcastSubscriber = typeof broadcastSubscribers.$inferSelect;
