import { bigint, bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { reports } from "./reports.js";

/** An internal note on a report, written in the console; only the office that wrote it sees it. */
export const reportNotes = pgTable(
  "report_notes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reportId: bigint("report_id", { mode: "number" })
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    officeCode: text("office_code").notNull(),
    author: text("author").notNull(),
    text: text("text").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("report_notes_report_idx").on(t.reportId, t.at)],
);

export type ReportNote = typeof reportNotes.$inferSelect;
