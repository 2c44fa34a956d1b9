import { bigint, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { contacts } from "./contacts.js";
import { reports } from "./reports.js";

/**
 * An open line between an office and a reporter: after an officer asks a question about a report,
 * the reporter's messages (files included) go to the office's chat, attached to that report, until
 * the officer ends it or the report is closed. The officer's identity is never shown to the reporter.
 */
export const relays = pgTable(
  "relays",
  {
    reportId: bigint("report_id", { mode: "number" })
      .primaryKey()
      .references(() => reports.id, { onDelete: "cascade" }),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    officeCode: text("office_code").notNull(),
    openedBy: text("opened_by").notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [index("relays_contact_idx").on(t.contactId)],
);

export type Relay = typeof relays.$inferSelect;
