import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { contacts } from "./contacts.js";
import { offices } from "./offices.js";

/** Statuses a report moves through. Transitions are checked in `src/reports/status.ts`. */
export const REPORT_STATUSES = [
  "received",
  "delivered",
  "acknowledged",
  "needs_info",
  "forwarded",
  "closed",
  "rejected",
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** `tip` = informasi awal (may be anonymous); `formal` = laporan (identity, 7-day rule). */
export const TRACKS = ["tip", "formal"] as const;
export type Track = (typeof TRACKS)[number];

/** A step of the routing decision kept with the report: which office, why, usable or skipped. */
export interface StoredRouteStep {
  officeCode: string | null;
  officeName: string;
  role: string;
  usable: boolean;
  reason: string;
}

/** A witness (saksi), formal track only. */
export interface Witness {
  name: string;
  phone: string | null;
}

/**
 * A complaint, with every field of Formulir Model B.1 except the reporter's identity (kept apart in
 * `report_identities`, formal track only). `number` is the public tracking number: random, so it
 * cannot be used to guess other people's reports.
 */
export const reports = pgTable(
  "reports",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    number: text("number").notNull().unique(),
    track: text("track", { enum: TRACKS }).notNull(),
    status: text("status", { enum: REPORT_STATUSES }).notNull().default("received"),
    category: text("category").notNull(),
    account: text("account").notNull(),
    eventDate: date("event_date"),
    learnedDate: date("learned_date"),
    /** The 7-day rule as applied at intake: deadline, days used, late, counting mode. */
    deadline: jsonb("deadline").$type<{
      deadline: string;
      daysUsed: number;
      late: boolean;
      counting: string;
    } | null>(),
    placeSource: text("place_source", { enum: ["gps", "text"] }),
    placeText: text("place_text"),
    lat: doublePrecision("lat"),
    lon: doublePrecision("lon"),
    regionCode: text("region_code"),
    regionName: text("region_name"),
    provinceCode: text("province_code"),
    accusedName: text("accused_name"),
    accusedPosition: text("accused_position"),
    agencyRaw: text("agency_raw"),
    agencyNormalized: text("agency_normalized"),
    asnType: text("asn_type", { enum: ["pns", "pppk", "unknown"] }),
    witnesses: jsonb("witnesses").$type<Witness[]>().notNull().default([]),
    noEvidence: boolean("no_evidence").notNull().default(false),
    channel: text("channel").notNull(),
    contactId: bigint("contact_id", { mode: "number" })
      .notNull()
      .references(() => contacts.id),
    lang: text("lang", { enum: ["id", "en"] })
      .notNull()
      .default("id"),
    /** The office that holds the report now. */
    officeCode: text("office_code").references(() => offices.code),
    route: jsonb("route").$type<StoredRouteStep[]>().notNull().default([]),
    /** A three-line summary for officers written by the LLM when the card was first built, or null. */
    machineSummary: jsonb("machine_summary").$type<{ lines: string[]; model: string; at: string } | null>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    index("reports_office_status_idx").on(t.officeCode, t.status),
    index("reports_contact_idx").on(t.contactId),
    index("reports_created_idx").on(t.createdAt),
  ],
);

export type Report = typeof reports.$inferSelect;
export type NewReport = typeof reports.$inferInsert;
