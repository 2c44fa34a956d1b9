import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { reports } from "./reports.js";

/** Kinds of evidence: files the citizen sent, and links to posts. */
export const EVIDENCE_KINDS = ["photo", "video", "document", "audio", "link"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * What a vision model read from an image of evidence, for officers (shown marked as machine-read).
 * Cached here when the office card is first built, so a delivery retry does not ask again.
 */
export interface MachineDescription {
  platform: string;
  accountName: string | null;
  action: "posted" | "liked" | "shared" | "commented" | "followed" | "other" | "unknown";
  visibleText: string | null;
  dateShown: string | null;
  model: string;
  at: string;
}

/**
 * One piece of evidence (bukti). Files keep their original bytes under DATA_DIR, content-addressed
 * by SHA-256 (`storageKey`); links keep the URL and platform. Both record when and through which
 * channel and message they arrived.
 */
export const evidence = pgTable(
  "evidence",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reportId: bigint("report_id", { mode: "number" })
      .notNull()
      .references(() => reports.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: EVIDENCE_KINDS }).notNull(),
    sha256: text("sha256"),
    mime: text("mime"),
    size: bigint("size", { mode: "number" }),
    fileName: text("file_name"),
    caption: text("caption"),
    storageKey: text("storage_key"),
    url: text("url"),
    platform: text("platform"),
    channel: text("channel").notNull(),
    platformMessageId: text("platform_message_id"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    /**
     * The unguessable id in the file's web address (`/api/evidence/<publicId>`), never the
     * sequential id; drawn by the database for every row, old rows included.
     */
    publicId: uuid("public_id").notNull().defaultRandom().unique(),
    /** The vision model's description of an image (AI_SEND_IMAGES=true only), or null. */
    machineDescription: jsonb("machine_description").$type<MachineDescription | null>(),
  },
  (t) => [index("evidence_report_idx").on(t.reportId), index("evidence_sha256_idx").on(t.sha256)],
);

export type Evidence = typeof evidence.$inferSelect;
