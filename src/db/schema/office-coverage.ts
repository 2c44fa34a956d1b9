import { pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./columns.js";
import { offices } from "./offices.js";

/**
 * An override: reports from `regionCode` (a regency) go first to `officeCode` instead of that
 * regency's own office. For disputed borders (e.g. Sorong / Tambrauw) and temporary arrangements.
 */
export const officeCoverage = pgTable(
  "office_coverage",
  {
    id: serial("id").primaryKey(),
    officeCode: text("office_code")
      .notNull()
      .references(() => offices.code, { onDelete: "cascade" }),
    regionCode: text("region_code").notNull(),
    reason: text("reason").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("office_coverage_region_unique").on(t.regionCode)],
);

export type OfficeCoverage = typeof officeCoverage.$inferSelect;
