import { bigserial, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { offices } from "./offices.js";

/**
 * An invite code an admin gives to an office: `/petugas <code>` in a group links the group as a
 * destination of the office; in a private chat it registers the sender as an officer. Limited
 * uses and an expiry; only the code's SHA-256 is stored.
 */
export const officerInvites = pgTable("officer_invites", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  officeCode: text("office_code")
    .notNull()
    .references(() => offices.code, { onDelete: "cascade" }),
  codeHash: text("code_hash").notNull().unique(),
  maxUses: integer("max_uses").notNull().default(1),
  uses: integer("uses").notNull().default(0),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export type OfficerInvite = typeof officerInvites.$inferSelect;
