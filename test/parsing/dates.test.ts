import { describe, expect, it } from "vitest";
import {
  addDays,
  type DateParse,
  daysBetween,
  formatLocalDate,
  jakartaToday,
  parseLocalDate,
  weekday,
} from "../../src/parsing/dates.js";

/** Wednesday 20 November 2024, 10:00 WIB. */
const now = new Date("2024-11-20T03:00:00Z");
/** 01:30 WIB on Thursday 21 November 2024 (still 20 Nov in UTC). */
const nearMidnight = new Date("2024-11-20T18:30:00Z");
/** Monday 18 November 2024, 10:00 WIB. */
const onMonday = new Date("2024-11-18T03:00:00Z");
/** Friday 3 January 2025, 10:00 WIB. */
const newYear = new Date("2025-01-03T03:00:00Z");
/** Friday 1 March 2024 (leap year), 10:00 WIB. */
const leap = new Date("2024-03-01T03:00:00Z");

const day = (date: string, approximate = false): DateParse => ({ ok: true, date, approximate });
const no = (reason: Exclude<Extract<DateParse, { ok: false }>["reason"], "not_yet">): DateParse => ({
  ok: false,
  reason,
});
const notYet = (date: string, suggestion: string): DateParse => ({
  ok: false,
  reason: "not_yet",
  date,
  suggestion,
});

// November 2024: Fri 1, Mon 4, Mon 11, Tue 12, Sun 17, Mon 18, Tue 19, Wed 20, Thu 21, Sat 30.
describe("parseLocalDate, now = Wed 20 Nov 2024 10:00 WIB", () => {
  it.each<[string, DateParse]>([
    // today
    ["hari ini", day("2024-11-20")],
    ["Hari ini", day("2024-11-20")],
    ["tadi", day("2024-11-20")],
    ["tadi pagi", day("2024-11-20")],
    ["tadi siang", day("2024-11-20")],
    ["sekarang", day("2024-11-20")],
    ["today", day("2024-11-20")],
    // yesterday and the day before
    ["kemarin", day("2024-11-19")],
    ["kmrn", day("2024-11-19")],
    ["kemaren", day("2024-11-19")],
    ["Yesterday", day("2024-11-19")],
    ["kemarin sore", day("2024-11-19")],
    ["kemarin lusa", day("2024-11-18")],
    ["tadi malam", day("2024-11-19")],
    // counts back
    ["2 hari lalu", day("2024-11-18")],
    ["2 hari yang lalu", day("2024-11-18")],
    ["2 hari yg lalu", day("2024-11-18")],
    ["dua hari lalu", day("2024-11-18")],
    ["sehari lalu", day("2024-11-19")],
    ["lima hari yang lalu", day("2024-11-15")],
    ["sepuluh hari lalu", day("2024-11-10")],
    ["3 days ago", day("2024-11-17")],
    ["a week ago", day("2024-11-13")],
    ["seminggu lalu", day("2024-11-13")],
    ["seminggu yang lalu", day("2024-11-13")],
    ["1 minggu lalu", day("2024-11-13")],
    ["2 minggu lalu", day("2024-11-06")],
    ["minggu lalu", day("2024-11-13", true)],
    ["pekan lalu", day("2024-11-13", true)],
    ["last week", day("2024-11-13", true)],
    ["2 bulan lalu", day("2024-09-20", true)],
    ["sebulan lalu", day("2024-10-20", true)],
    // day names (today is Wednesday)
    ["Senin lalu", day("2024-11-18")],
    ["senin kemarin", day("2024-11-18")],
    ["hari senin", day("2024-11-18")],
    ["senin", day("2024-11-18")],
    ["last monday", day("2024-11-18")],
    ["selasa", day("2024-11-19")],
    ["rabu", day("2024-11-20")],
    ["hari rabu", day("2024-11-20")],
    ["rabu lalu", day("2024-11-13")],
    ["kamis", day("2024-11-14")],
    ["jumat", day("2024-11-15")],
    ["jum'at", day("2024-11-15")],
    ["Jum\u2019at kemarin", day("2024-11-15")],
    ["sabtu", day("2024-11-16")],
    ["minggu", day("2024-11-17")],
    ["ahad", day("2024-11-17")],
    ["hari minggu lalu", day("2024-11-17")],
    ["friday", day("2024-11-15")],
    ["senin minggu lalu", day("2024-11-11")],
    ["jumat pekan lalu", day("2024-11-15")],
    // numeric dates, day before month
    ["12/11", day("2024-11-12")],
    ["20/11", day("2024-11-20")],
    // a day this year still to come: last year's is offered, not assumed
    ["21/11", notYet("2024-11-21", "2023-11-21")],
    ["25/11", notYet("2024-11-25", "2023-11-25")],
    ["12-11-2024", day("2024-11-12")],
    ["12/11/24", day("2024-11-12")],
    ["12.11.2024", day("2024-11-12")],
    ["2024-11-12", day("2024-11-12")],
    ["1/3/2024", day("2024-03-01")],
    ["29/02/2024", day("2024-02-29")],
    // month names
    ["12 Nov 2024", day("2024-11-12")],
    ["12 nov", day("2024-11-12")],
    ["12 November", day("2024-11-12")],
    ["12 Nopember 2024", day("2024-11-12")],
    ["12 nop", day("2024-11-12")],
    ["12-nov-24", day("2024-11-12")],
    ["November 12, 2024", day("2024-11-12")],
    ["3rd november", day("2024-11-03")],
    ["17 Agustus", day("2024-08-17")],
    ["17 agt", day("2024-08-17")],
    ["17 agu", day("2024-08-17")],
    ["17 ags", day("2024-08-17")],
    ["17 aug 2024", day("2024-08-17")],
    ["1 januari 2024", day("2024-01-01")],
    ["5 jan", day("2024-01-05")],
    ["14 februari", day("2024-02-14")],
    ["14 Pebruari 2024", day("2024-02-14")],
    ["14 feb", day("2024-02-14")],
    ["8 maret", day("2024-03-08")],
    ["8 mar 2024", day("2024-03-08")],
    ["21 april", day("2024-04-21")],
    ["21 apr", day("2024-04-21")],
    ["1 mei", day("2024-05-01")],
    ["1 may 2024", day("2024-05-01")],
    ["1 juni", day("2024-06-01")],
    ["1 jun", day("2024-06-01")],
    ["17 juli", day("2024-07-17")],
    ["17 jul", day("2024-07-17")],
    ["2 september", day("2024-09-02")],
    ["2 sep", day("2024-09-02")],
    ["2 sept 2024", day("2024-09-02")],
    ["28 oktober", day("2024-10-28")],
    ["28 okt", day("2024-10-28")],
    ["28 oct", day("2024-10-28")],
    ["25 desember", notYet("2024-12-25", "2023-12-25")],
    ["25 des 2023", day("2023-12-25")],
    ["25 dec", notYet("2024-12-25", "2023-12-25")],
    ["Minggu, 10 November 2024", day("2024-11-10")],
    ["Senin, 10 November 2024", day("2024-11-10")],
    ["Sunday, November 10, 2024", day("2024-11-10")],
    // a day of the month alone
    ["12", day("2024-11-12")],
    ["tanggal 12", day("2024-11-12")],
    ["25", day("2024-10-25")],
    ["31", day("2024-10-31")],
    // fillers
    ["tgl 12 nov", day("2024-11-12")],
    ["tgl. 12/11", day("2024-11-12")],
    ["sekitar kemarin", day("2024-11-19")],
    ["kira-kira 2 hari lalu", day("2024-11-18")],
    ["pada hari senin", day("2024-11-18")],
    ["pada hari kamis tanggal 14 november", day("2024-11-14")],
    ["12 nov 2024 jam 10 pagi", day("2024-11-12")],
    ["13/11 pukul 14.00 WIB", day("2024-11-13")],
    ["  kemarin sore jam 3.  ", day("2024-11-19")],
    ["12 nov sekitar", day("2024-11-12")],
    ["sekitar tgl 10an", day("2024-11-10", true)],
    ["tanggal 10-an", day("2024-11-10", true)],
    ["Kamis (14/11)", day("2024-11-14")],
    // periods
    ["awal bulan", day("2024-11-01", true)],
    ["akhir bulan lalu", day("2024-10-31", true)],
    ["pertengahan bulan lalu", day("2024-10-15", true)],
    // refusals
    ["", no("empty")],
    ["   ", no("empty")],
    ["lusa", no("future")],
    ["besok", no("future")],
    ["tomorrow", no("future")],
    ["senin depan", no("future")],
    ["3 hari lagi", no("future")],
    ["25/11/2024", no("future")],
    ["21 november 2024", no("future")],
    ["2025-01-01", no("future")],
    ["akhir bulan", no("future")],
    ["31/02", no("invalid_date")],
    ["30/02/2024", no("invalid_date")],
    ["29/02/2023", no("invalid_date")],
    ["12/13", no("invalid_date")],
    ["2024-13-01", no("invalid_date")],
    ["32", no("invalid_date")],
    ["0", no("invalid_date")],
    ["asdf", no("unparseable")],
    ["tidak tahu", no("unparseable")],
    ["januari", no("unparseable")],
    ["12 blablabla", no("unparseable")],
    ["minggu ini", no("unparseable")],
    ["tanggal", no("unparseable")],
    ["01/01/2010", no("too_old")],
    ["4000 hari lalu", no("too_old")],
    [`12/11${" ".repeat(200)}`, no("unparseable")],
  ])("%j", (text, expected) => {
    expect(parseLocalDate(text, now)).toEqual(expected);
  });
});

describe("parseLocalDate near midnight: 2024-11-20T18:30Z is Thu 21 Nov 2024 01:30 WIB", () => {
  it.each<[string, DateParse]>([
    ["hari ini", day("2024-11-21")],
    ["kemarin", day("2024-11-20")],
    ["kamis", day("2024-11-21")],
    ["kamis lalu", day("2024-11-14")],
    ["21/11", day("2024-11-21")],
    ["22/11", notYet("2024-11-22", "2023-11-22")],
    ["21", day("2024-11-21")],
    ["tadi malam", day("2024-11-20")],
  ])("%j", (text, expected) => {
    expect(parseLocalDate(text, nearMidnight)).toEqual(expected);
  });
});

describe("parseLocalDate on a Monday (18 Nov 2024)", () => {
  it.each<[string, DateParse]>([
    ["Senin lalu", day("2024-11-11")],
    ["senin kemarin", day("2024-11-11")],
    ["last monday", day("2024-11-11")],
    ["hari senin", day("2024-11-18")],
    ["senin", day("2024-11-18")],
    ["minggu", day("2024-11-17")],
    ["senin minggu lalu", day("2024-11-11")],
  ])("%j", (text, expected) => {
    expect(parseLocalDate(text, onMonday)).toEqual(expected);
  });
});

describe("parseLocalDate across a year end (Fri 3 Jan 2025)", () => {
  it.each<[string, DateParse]>([
    ["kemarin", day("2025-01-02")],
    ["5 hari lalu", day("2024-12-29")],
    ["senin lalu", day("2024-12-30")],
    // across the year end last year's day is plainly meant (22 days ago)
    ["12/12", day("2024-12-12")],
    ["tgl 15 desember", day("2024-12-15")],
    ["2/1", day("2025-01-02")],
    ["25", day("2024-12-25")],
    ["awal bulan", day("2025-01-01", true)],
    ["bulan lalu", day("2024-12-03", true)],
  ])("%j", (text, expected) => {
    expect(parseLocalDate(text, newYear)).toEqual(expected);
  });
});

describe("parseLocalDate in a leap year (Fri 1 Mar 2024)", () => {
  it.each<[string, DateParse]>([
    ["kemarin", day("2024-02-29")],
    ["29/02", day("2024-02-29")],
    ["29", day("2024-02-29")],
    ["30", no("invalid_date")],
  ])("%j", (text, expected) => {
    expect(parseLocalDate(text, leap)).toEqual(expected);
  });
});

describe("parseLocalDate options and evening", () => {
  it("refuses dates older than maxAgeDays, accepts the limit itself", () => {
    expect(parseLocalDate("10 hari lalu", now, { maxAgeDays: 7 })).toEqual(no("too_old"));
    expect(parseLocalDate("7 hari lalu", now, { maxAgeDays: 7 })).toEqual(day("2024-11-13"));
  });

  it("reads 'tadi malam' as this evening after 18:00 WIB", () => {
    expect(parseLocalDate("tadi malam", new Date("2024-11-20T13:00:00Z"))).toEqual(day("2024-11-20"));
  });
});

describe("calendar helpers", () => {
  it("jakartaToday adds 7 hours to UTC", () => {
    expect(jakartaToday(now)).toBe("2024-11-20");
    expect(jakartaToday(nearMidnight)).toBe("2024-11-21");
    expect(jakartaToday(new Date("2024-11-20T16:59:59Z"))).toBe("2024-11-20");
    expect(jakartaToday(new Date("2024-11-20T17:00:00Z"))).toBe("2024-11-21");
    expect(jakartaToday(new Date("2024-12-31T17:00:00Z"))).toBe("2025-01-01");
    expect(() => jakartaToday(new Date("nope"))).toThrow(RangeError);
  });

  it("addDays crosses months, years and leap days", () => {
    expect(addDays("2024-11-28", 3)).toBe("2024-12-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2023-03-01", -1)).toBe("2023-02-28");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2024-11-20", 0)).toBe("2024-11-20");
    expect(() => addDays("2024-02-30", 1)).toThrow(RangeError);
    expect(() => addDays("20/11/2024", 1)).toThrow(RangeError);
  });

  it("daysBetween is positive when the second date is later", () => {
    expect(daysBetween("2024-11-12", "2024-11-20")).toBe(8);
    expect(daysBetween("2024-11-20", "2024-11-12")).toBe(-8);
    expect(daysBetween("2023-11-20", "2024-11-20")).toBe(366);
  });

  it("weekday: 0 = Sunday", () => {
    expect(weekday("2024-11-20")).toBe(3);
    expect(weekday("2024-11-17")).toBe(0);
    expect(weekday("2025-01-01")).toBe(3);
  });

  it("formatLocalDate writes the day name, day, month and year", () => {
    expect(formatLocalDate("2024-11-12", "id")).toBe("Selasa, 12 November 2024");
    expect(formatLocalDate("2024-11-12", "en")).toBe("Tuesday, 12 November 2024");
    expect(formatLocalDate("2024-11-10", "id")).toBe("Minggu, 10 November 2024");
    expect(formatLocalDate("2024-11-15", "id")).toBe("Jumat, 15 November 2024");
    expect(formatLocalDate("2024-11-18", "id")).toBe("Senin, 18 November 2024");
    expect(formatLocalDate("2024-08-17", "id")).toBe("Sabtu, 17 Agustus 2024");
    expect(formatLocalDate("2024-08-17", "en")).toBe("Saturday, 17 August 2024");
  });
});

describe("a day and month still to come this year (Fri 4 Dec 2026)", () => {
  const dec4 = new Date("2026-12-04T05:00:00Z");
  it.each<[string, DateParse]>([
    ["tgl 15 desember", notYet("2026-12-15", "2025-12-15")],
    ["15/12", notYet("2026-12-15", "2025-12-15")],
    ["5 desember", notYet("2026-12-05", "2025-12-05")],
    ["4 desember", day("2026-12-04")],
    ["15/12/2025", day("2025-12-15")],
    ["15/12/2026", no("future")],
  ])("%j", (text, expected) => {
    expect(parseLocalDate(text, dec4)).toEqual(expected);
  });
});

describe("slang around a date", () => {
  const dec4 = new Date("2026-12-04T05:00:00Z");
  it.each<[string, DateParse]>([
    ["tgl 2 jg", day("2026-12-02")],
    ["kmrn sore", day("2026-12-03")],
    ["kemarin aja pak", day("2026-12-03")],
  ])("%j", (text, expected) => {
    expect(parseLocalDate(text, dec4)).toEqual(expected);
  });
});
