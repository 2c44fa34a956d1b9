import { and, desc, eq, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { evidence, type Report, reports } from "../db/schema/index.js";

/** How close in time two reports about the same person must be to count as possible duplicates. */
export const DUPLICATE_WINDOW_DAYS = 7;

/**
 * Tracking numbers of earlier or later reports that may describe the same event: one shares an
 * evidence file (same SHA-256), or names the same accused at the same agency in the same regency
 * within {@link DUPLICATE_WINDOW_DAYS} days. Shown on the office card; officers decide.
 */
export async function findPossibleDuplicates(
  q: Queryable,
  report: Report,
  hashes: readonly string[],
): Promise<string[]> {
  const found = new Set<string>();
  if (hashes.length) {
    const rows = await q
      .selectDistinct({ number: reports.number })
      .from(evidence)
      .innerJoin(reports, eq(reports.id, evidence.reportId))
      .where(and(inArray(evidence.sha256, [...hashes]), ne(reports.id, report.id)))
      .limit(10);
    for (const r of rows) found.add(r.number);
  }
  if (report.accusedName && report.agencyNormalized && report.regionCode) {
    const window = DUPLICATE_WINDOW_DAYS * 86_400_000;
    const rows = await q
      .select({ number: reports.number })
      .from(reports)
      .where(
        and(
          ne(reports.id, report.id),
          eq(reports.regionCode, report.regionCode),
          sql`lower(${reports.agencyNormalized}) = lower(${report.agencyNormalized})`,
          sql`lower(${reports.accusedName}) = lower(${report.accusedName})`,
          gte(reports.createdAt, new Date(report.createdAt.getTime() - window)),
          lte(reports.createdAt, new Date(report.createdAt.getTime() + window)),
        ),
      )
      .orderBy(desc(reports.createdAt))
      .limit(10);
    for (const r of rows) found.add(r.number);
  }
  return [...found];
}
