import { bigserial, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Who a broadcast goes to. */
export const BROADCAST_AUDIENCES = ["all", "province", "regency", "officers", "test"] as const;
/** Where a broadcast is in its life. */
export const BROADCAST_STATUSES = ["draft", "active", "paused", "cancelled", "finished"] as const;

/**
 * A reminder to send: its content (a snapshot of the library text at creation, so editing the
 * library later does not change a broadcast under way), its audience and its schedule
 * (see `src/broadcasts/schedule.ts` for the JSON shape). Each occurrence is a `broadcast_runs` row.
 */
export const broadcasts = pgTable("broadcasts", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  name: text("name").notNull(),
  /** The library reminder it was made from (`flows/broadcasts/<id>.yaml`), if any. */
  contentId: text("content_id"),
  textId: text("text_id").notNull(),
  textEn: text("text_en").notNull(),
  /** Absolute path of an image sent with the text, or null. */
  imagePath: text("image_path"),
  audience: text("audience", { enum: BROADCAST_AUDIENCES }).notNull(),
  /** Region codes for a province or regency audience. */
  regions: jsonb("regions").$type<string[]>().notNull().default([]),
  /** "telegram:<chat id>" for a test audience. */
  testAddress: text("test_address"),
  /** When to send: `{ kind: "now" | "at" | "cron" | "phase", … }`. */
  schedule: jsonb("schedule").$type<Record<string, unknown>>().notNull(),
  status: text("status", { enum: BROADCAST_STATUSES }).notNull().default("draft"),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp("started_at", { withTimezone: true }),
  pausedAt: timestamp("paused_at", { withTimezone: true }),
  cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

export type Broadcast = typeof broadcasts.$inferSelect;
