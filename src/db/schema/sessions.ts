import { bigint, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { contacts } from "./contacts.js";

/**
 * The conversation a contact is in: the engine's session as JSON, saved after every step in the
 * same transaction as whatever the step caused. One row per contact; `version` guards against two
 * writers.
 */
export const sessions = pgTable("sessions", {
  contactId: bigint("contact_id", { mode: "number" })
    .primaryKey()
    .references(() => contacts.id, { onDelete: "cascade" }),
  flowId: text("flow_id").notNull(),
  state: jsonb("state").$type<Record<string, unknown>>().notNull(),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type SessionRow = typeof sessions.$inferSelect;
