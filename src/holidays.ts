import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { DataFileError } from "./errors.js";

const HolidaysFile = z.strictObject({
  holidays: z.record(
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "dates are written YYYY-MM-DD"),
    z.string().min(1),
  ),
});

/**
 * Reads the public holidays skipped when the 7-day rule counts working days (`flows/calendar/holidays.yaml`).
 * Throws {@link DataFileError} naming the file and the bad entry.
 */
export function loadHolidays(file: string): ReadonlySet<string> {
  let data: unknown;
  try {
    data = parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new DataFileError(file, `cannot read: ${(e as Error).message}`, { cause: e });
  }
  const r = HolidaysFile.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new DataFileError(file, `${i.path.join(".")}: ${i.message}`);
  }
  for (const d of Object.keys(r.data.holidays)) {
    if (
      Number.isNaN(Date.parse(`${d}T00:00:00Z`)) ||
      new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d
    ) {
      throw new DataFileError(file, `holidays.${d}: not a real date`);
    }
  }
  return new Set(Object.keys(r.data.holidays));
}
