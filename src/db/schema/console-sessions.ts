import { bigint, bigserial, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { officers } from "./officers.js";
import { offices } from "./offices.js";

/**
 * A signed-in console session. The cookie holds a random token; only its SHA-256 is stored. Valid
 * 12 hours from the last renewal; an officer's sessions end as soon as the officer is disabled
 * (checked on every request) or removed (cascade). `csrf` is the session's form token.
 */
export const consoleSessions = pgTable(
  "console_sessions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code, { onDelete: "cascade" }),
    officerId: bigint("officer_id", { mode: "number" }).references(() => officers.id, {
      onDelete: "cascade",
    }),
    role: text("role", { enum: ["officer", "admin", "demo"] }).notNull(),
    csrf: text("csrf").notNull(),
    lang: text("lang", { enum: ["id", "en"] })
      .notNull()
      .default("id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("console_sessions_officer_idx").on(t.officerId)],
);

export type ConsoleSession = typeof consoleSessions.$inferSelect;
