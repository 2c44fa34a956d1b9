import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataFileError } from "../src/errors.js";
import { loadHolidays } from "../src/holidays.js";
import { checkReportingDeadline } from "../src/parsing/index.js";

describe("holidays file", () => {
  it("loads flows/calendar/holidays.yaml, and the 7-day rule in working days skips them", () => {
    const holidays = loadHolidays("flows/calendar/holidays.yaml");
    expect(holidays.has("2024-11-27")).toBe(true);
    // Learned Friday 22 Nov 2024; 27 Nov (Pilkada voting day) is not a working day.
    expect(checkReportingDeadline("2024-11-22", "2024-11-22", "working", { holidays }).deadline).toBe(
      "2024-12-04",
    );
    expect(checkReportingDeadline("2024-11-22", "2024-11-22", "working").deadline).toBe("2024-12-03");
  });

  it("refuses impossible dates and malformed files, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "hol-"));
    const bad = join(dir, "h.yaml");
    writeFileSync(bad, 'holidays:\n  "2025-02-30": salah\n');
    expect(() => loadHolidays(bad)).toThrow(DataFileError);
    expect(() => loadHolidays(bad)).toThrow(/2025-02-30: not a real date/);
    writeFileSync(bad, "libur: [1, 2]\n");
    expect(() => loadHolidays(bad)).toThrow(/h\.yaml/);
    expect(() => loadHolidays(join(dir, "missing.yaml"))).toThrow(/cannot read/);
  });
});
