import { describe, expect, it } from "vitest";
import { formatLocalTime, formatShortTime, zoneOf } from "../../src/parsing/index.js";

describe("Indonesian time zones", () => {
  const at = new Date("2026-12-03T17:51:00Z");

  it.each([
    ["18.72", "WIB"], // Kota Metro, Lampung
    ["31", "WIB"], // Jakarta
    ["62.71", "WIB"], // Palangka Raya, Central Kalimantan
    ["51.71", "WITA"], // Denpasar, Bali
    ["64.72", "WITA"], // Samarinda, East Kalimantan
    ["73.71.01", "WITA"], // a kecamatan of Makassar
    ["81.71", "WIT"], // Ambon
    ["94", "WIT"], // Papua Tengah
    [null, "WIB"], // Bawaslu RI, no region
    ["RI", "WIB"],
  ])("%s is on %s", (code, zone) => {
    expect(zoneOf(code).name).toBe(zone);
  });

  it("writes an instant in the office's zone, with the day it falls on there", () => {
    expect(formatLocalTime(at, "18.72", "id")).toBe("Jumat, 4 Desember 2026 00:51 WIB");
    expect(formatLocalTime(at, "51.71", "id")).toBe("Jumat, 4 Desember 2026 01:51 WITA");
    expect(formatLocalTime(at, "91.71", "en")).toBe("Friday, 4 December 2026 02:51 WIT");
    expect(formatShortTime(at, "18.72")).toBe("04/12/2026 00:51 WIB");
    expect(formatShortTime(new Date("2026-12-03T15:59:00Z"), "81.71")).toBe("04/12/2026 00:59 WIT");
  });
});
