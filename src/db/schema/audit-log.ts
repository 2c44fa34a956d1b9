import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Append-only record of every change made to offices, destinations, coverage (and later reports
 * and officers): who did what to which entity, and the details (never a reporter's identity).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** "admin-cli", "system", "telegram:12345" … */
    actor: text("actor").notNull(),
    /** Dotted verb: "office.update", "destination.add", "coverage.add", "offices.import". */
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityKey: text("entity_key").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_log_entity_idx").on(t.entity, t.entityKey)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
