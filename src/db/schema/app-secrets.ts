import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Secrets the program generates once and keeps (e.g. the key that signs officers' buttons when
 * no `OFFICER_ACTION_SECRET` is set), so they stay the same across restarts and instances.
 */
export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
