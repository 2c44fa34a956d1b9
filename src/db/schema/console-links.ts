import { bigint, bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { officers } from "./officers.js";
import { offices } from "./offices.js";

/**
 * A one-time sign-in link to the office console (`/masuk` in an officer's private chat, or
 * `npm run admin -- console link`). Only the SHA-256 of the token is kept; the link works once,
 * within 10 minutes. `officerId` is null for an admin's link (acts for `officeCode`, sees all).
 */
export const consoleLinks = pgTable(
  "console_links",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code, { onDelete: "cascade" }),
    officerId: bigint("officer_id", { mode: "number" }).references(() => officers.id, {
      onDelete: "cascade",
    }),
    /** "officer", "admin" or "demo". */
    role: text("role", { enum: ["officer", "admin", "demo"] }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("console_links_officer_idx").on(t.officerId, t.createdAt)],
);

export type ConsoleLink = typeof consoleLinks.$inferSelect;
