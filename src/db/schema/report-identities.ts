import { bigint, boolean, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { reports } from "./reports.js";

/**
 * The reporter's identity on a formal report (laporan), kept apart from the report so that nothing
 * reads it by accident: only the delivery card of a formal report and an admin export join it.
 * Sensitive personal data under UU 27/2022: never logged.
 */
export const reportIdentities = pgTable("report_identities", {
  reportId: bigint("report_id", { mode: "number" })
    .primaryKey()
    .references(() => reports.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  address: text("address").notNull(),
  phone: text("phone").notNull(),
  consent: boolean("consent").notNull(),
  consentedAt: timestamp("consented_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ReportIdentity = typeof reportIdentities.$inferSelect;
