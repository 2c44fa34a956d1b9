import { describe, expect, it } from "vitest";
import { checkReportingDeadline, type DeadlineCheck } from "../../src/parsing/deadline.js";

// November 2024: Fri 15, Sat 16, Sun 17, Mon 18 … Fri 22, Sat 23, Sun 24, Mon 25, Tue 26,
// Wed 27 (Pilkada voting day, a national holiday), Thu 28, Fri 29; Mon 2 Dec, Tue 3, Wed 4.
const votingDay = new Set(["2024-11-27"]);

describe("checkReportingDeadline, calendar days (Pilkada)", () => {
  it.each<[string, string, DeadlineCheck]>([
    ["2024-11-20", "2024-11-20", { deadline: "2024-11-27", daysUsed: 0, daysLeft: 7, late: false }],
    ["2024-11-20", "2024-11-25", { deadline: "2024-11-27", daysUsed: 5, daysLeft: 2, late: false }],
    ["2024-11-20", "2024-11-27", { deadline: "2024-11-27", daysUsed: 7, daysLeft: 0, late: false }],
    ["2024-11-20", "2024-11-28", { deadline: "2024-11-27", daysUsed: 8, daysLeft: 0, late: true }],
    ["2024-11-15", "2024-11-22", { deadline: "2024-11-22", daysUsed: 7, daysLeft: 0, late: false }],
    ["2024-12-28", "2025-01-03", { deadline: "2025-01-04", daysUsed: 6, daysLeft: 1, late: false }],
  ])("learned %s, today %s", (learned, today, expected) => {
    expect(checkReportingDeadline(learned, today, "calendar")).toEqual(expected);
  });

  it("ignores holidays", () => {
    expect(
      checkReportingDeadline("2024-11-20", "2024-11-20", "calendar", { holidays: votingDay }).deadline,
    ).toBe("2024-11-27");
  });

  it("takes another limit", () => {
    expect(checkReportingDeadline("2024-11-20", "2024-11-21", "calendar", { limitDays: 3 })).toEqual({
      deadline: "2024-11-23",
      daysUsed: 1,
      daysLeft: 2,
      late: false,
    });
    expect(checkReportingDeadline("2024-11-20", "2024-11-21", "calendar", { limitDays: 0 })).toEqual({
      deadline: "2024-11-20",
      daysUsed: 1,
      daysLeft: 0,
      late: true,
    });
  });
});

describe("checkReportingDeadline, working days (Pemilu)", () => {
  it.each<[string, string, ReadonlySet<string> | undefined, DeadlineCheck]>([
    // Learned on a Friday: Mon 18 (1) … Fri 22 (5), Mon 25 (6), Tue 26 (7).
    [
      "2024-11-15",
      "2024-11-15",
      undefined,
      { deadline: "2024-11-26", daysUsed: 0, daysLeft: 7, late: false },
    ],
    [
      "2024-11-15",
      "2024-11-17",
      undefined,
      { deadline: "2024-11-26", daysUsed: 0, daysLeft: 7, late: false },
    ],
    [
      "2024-11-15",
      "2024-11-18",
      undefined,
      { deadline: "2024-11-26", daysUsed: 1, daysLeft: 6, late: false },
    ],
    [
      "2024-11-15",
      "2024-11-23",
      undefined,
      { deadline: "2024-11-26", daysUsed: 5, daysLeft: 2, late: false },
    ],
    [
      "2024-11-15",
      "2024-11-26",
      undefined,
      { deadline: "2024-11-26", daysUsed: 7, daysLeft: 0, late: false },
    ],
    ["2024-11-15", "2024-11-27", undefined, { deadline: "2024-11-26", daysUsed: 8, daysLeft: 0, late: true }],
    // Learned on a Friday with the voting-day holiday in between: Mon 25 (1), Tue 26 (2),
    // Wed 27 skipped, Thu 28 (3), Fri 29 (4), Mon 2 (5), Tue 3 (6), Wed 4 Dec (7).
    [
      "2024-11-22",
      "2024-11-22",
      votingDay,
      { deadline: "2024-12-04", daysUsed: 0, daysLeft: 7, late: false },
    ],
    [
      "2024-11-22",
      "2024-11-28",
      votingDay,
      { deadline: "2024-12-04", daysUsed: 3, daysLeft: 4, late: false },
    ],
    [
      "2024-11-22",
      "2024-12-04",
      votingDay,
      { deadline: "2024-12-04", daysUsed: 7, daysLeft: 0, late: false },
    ],
    ["2024-11-22", "2024-12-05", votingDay, { deadline: "2024-12-04", daysUsed: 8, daysLeft: 0, late: true }],
    // The same Friday without the holiday: the deadline is Tue 3 Dec.
    [
      "2024-11-22",
      "2024-11-22",
      undefined,
      { deadline: "2024-12-03", daysUsed: 0, daysLeft: 7, late: false },
    ],
    // Learned on a Wednesday, holiday in between: Thu 21, Fri 22, Mon 25, Tue 26, Thu 28, Fri 29, Mon 2 Dec.
    [
      "2024-11-20",
      "2024-11-27",
      votingDay,
      { deadline: "2024-12-02", daysUsed: 4, daysLeft: 3, late: false },
    ],
    ["2024-11-20", "2024-12-03", votingDay, { deadline: "2024-12-02", daysUsed: 8, daysLeft: 0, late: true }],
    // Learned on a Saturday: the weekend counts for nothing.
    [
      "2024-11-16",
      "2024-11-17",
      undefined,
      { deadline: "2024-11-26", daysUsed: 0, daysLeft: 7, late: false },
    ],
    // Late, on a Saturday: Mon 18 – Fri 29 are 10 working days.
    [
      "2024-11-15",
      "2024-11-30",
      undefined,
      { deadline: "2024-11-26", daysUsed: 10, daysLeft: 0, late: true },
    ],
  ])("learned %s, today %s", (learned, today, holidays, expected) => {
    expect(checkReportingDeadline(learned, today, "working", holidays ? { holidays } : undefined)).toEqual(
      expected,
    );
  });

  it("is late on the Saturday after a Friday deadline even with 7 working days used", () => {
    // Learned Fri 15 Nov, limit 5: Mon 18 … Fri 22 is the deadline; Sat 23 is late.
    expect(checkReportingDeadline("2024-11-15", "2024-11-23", "working", { limitDays: 5 })).toEqual({
      deadline: "2024-11-22",
      daysUsed: 5,
      daysLeft: 0,
      late: true,
    });
  });
});

describe("checkReportingDeadline input errors", () => {
  it("refuses a learned date after today", () => {
    expect(() => checkReportingDeadline("2024-11-21", "2024-11-20", "calendar")).toThrow(RangeError);
  });
  it("refuses a negative or fractional limit and malformed dates", () => {
    expect(() => checkReportingDeadline("2024-11-20", "2024-11-20", "working", { limitDays: -1 })).toThrow(
      RangeError,
    );
    expect(() => checkReportingDeadline("2024-11-20", "2024-11-20", "calendar", { limitDays: 1.5 })).toThrow(
      RangeError,
    );
    expect(() => checkReportingDeadline("20-11-2024", "2024-11-20", "calendar")).toThrow(RangeError);
  });
});
