import { index, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps } from "./columns.js";

/** Office levels: Bawaslu RI, Bawaslu Provinsi, Bawaslu Kabupaten/Kota. */
export const OFFICE_LEVELS = ["national", "province", "regency"] as const;
export type OfficeLevel = (typeof OFFICE_LEVELS)[number];

/** The code of Bawaslu RI, the national office at the end of every routing chain. */
export const NATIONAL_OFFICE_CODE = "RI";

/**
 * A Bawaslu office. Generated from the region catalog at start-up (1 national, 38 provincial,
 * 514 kabupaten/kota); its code is the Kemendagri code of its region ("18.72" for Bawaslu Kota
 * Metro, "18" for Bawaslu Provinsi Lampung) or "RI". Contact details are edited by admins.
 */
export const offices = pgTable(
  "offices",
  {
    code: text("code").primaryKey(),
    level: text("level", { enum: OFFICE_LEVELS }).notNull(),
    name: text("name").notNull(),
    /** Region the office is responsible for (null for Bawaslu RI). */
    regionCode: text("region_code"),
    /** Code of the office one level up (null for Bawaslu RI). */
    parentCode: text("parent_code"),
    address: text("address"),
    phone: text("phone"),
    email: text("email"),
    hours: text("hours"),
    ...timestamps,
  },
  (t) => [index("offices_parent_idx").on(t.parentCode)],
);

export type Office = typeof offices.$inferSelect;
export type NewOffice = typeof offices.$inferInsert;
