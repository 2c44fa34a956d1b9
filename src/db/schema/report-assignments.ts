import { bigint, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { officers } from "./officers.js";
import { reports } from "./reports.js";

/** The one officer a report is assigned to in the console (at most one per report). */
export const reportAssignments = pgTable("report_assignments", {
  reportId: bigint("report_id", { mode: "number" })
    .primaryKey()
    .references(() => reports.id, { onDelete: "cascade" }),
  officerId: bigint("officer_id", { mode: "number" })
    .notNull()
    .references(() => officers.id, { onDelete: "cascade" }),
  assignedBy: text("assigned_by").notNull(),
  assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ReportAssignment = typeof reportAssignments.$inferSelect;
