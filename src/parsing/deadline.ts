/**
 * The 7-day rule for formal reports (laporan): a report must be filed within 7 days of the day the
 * reporter learned of the event ("tanggal diketahui"). Pilkada counts calendar days; the Pemilu law
 * counts working days. Which one applies, the limit and the holidays are data, passed in.
 */

import { addDays, daysBetween, type LocalDate, weekday } from "./dates.js";

/**
 * How days are counted: every calendar day (Pilkada) or Monday–Friday minus holidays (Pemilu).
 *
 * @example
 * const counting: DayCounting = election.kind === "pilkada" ? "calendar" : "working";
 */
export type DayCounting = "calendar" | "working";

/**
 * Where a report stands against its deadline on `today`.
 *
 * - `deadline`: the last day on which a report is still on time.
 * - `daysUsed`: days counted (calendar or working, per the counting) after the learned day up to and
 *   including today.
 * - `daysLeft`: counted days still available after today; 0 on the deadline and when late.
 * - `late`: today is after the deadline.
 *
 * @example
 * const c: DeadlineCheck = { deadline: "2024-11-22", daysUsed: 5, daysLeft: 2, late: false };
 */
export interface DeadlineCheck {
  deadline: LocalDate;
  daysUsed: number;
  daysLeft: number;
  late: boolean;
}

function isWorkingDay(d: LocalDate, holidays: ReadonlySet<LocalDate>): boolean {
  const dow = weekday(d);
  return dow !== 0 && dow !== 6 && !holidays.has(d);
}

/**
 * Checks the reporting deadline of a formal report.
 *
 * Convention: the learned day is day 0 and is never counted, whatever day of the week it is.
 * - `"calendar"`: the deadline is learned + `limitDays` calendar days; reporting on the deadline
 *   itself is on time. Learned Wed 20 Nov 2024 → deadline Wed 27 Nov 2024.
 * - `"working"`: count `limitDays` working days after the learned day (Monday–Friday, skipping
 *   `holidays`); the last of them is the deadline. Learned Fri 15 Nov 2024 → Mon 18 (1) … Fri 22 (5),
 *   Mon 25 (6), Tue 26 (7) → deadline Tue 26 Nov 2024.
 *
 * `limitDays` defaults to 7 (a non-negative integer; 0 makes the learned day the deadline).
 * Throws RangeError when `learned` is after `today`, or for a malformed date or limit.
 *
 * @example
 * checkReportingDeadline("2024-11-20", "2024-11-25", "calendar");
 * // { deadline: "2024-11-27", daysUsed: 5, daysLeft: 2, late: false }
 * checkReportingDeadline("2024-11-20", "2024-11-25", "working", { holidays: new Set(["2024-11-27"]) });
 * // { deadline: "2024-12-02", daysUsed: 3, daysLeft: 4, late: false }
 */
export function checkReportingDeadline(
  learned: LocalDate,
  today: LocalDate,
  counting: DayCounting,
  options?: { limitDays?: number; holidays?: ReadonlySet<LocalDate> },
): DeadlineCheck {
  const limit = options?.limitDays ?? 7;
  if (!Number.isInteger(limit) || limit < 0)
    throw new RangeError(`limitDays must be a whole number ≥ 0: ${limit}`);
  const elapsed = daysBetween(learned, today);
  if (elapsed < 0) throw new RangeError(`learned date ${learned} is after today ${today}`);

  if (counting === "calendar") {
    const deadline = addDays(learned, limit);
    return { deadline, daysUsed: elapsed, daysLeft: Math.max(0, limit - elapsed), late: elapsed > limit };
  }

  const holidays = options?.holidays ?? new Set<LocalDate>();
  let deadline = learned;
  for (let counted = 0; counted < limit; ) {
    deadline = addDays(deadline, 1);
    if (isWorkingDay(deadline, holidays)) counted++;
  }
  let daysUsed = 0;
  for (let d = addDays(learned, 1); d <= today; d = addDays(d, 1)) {
    if (isWorkingDay(d, holidays)) daysUsed++;
  }
  return { deadline, daysUsed, daysLeft: Math.max(0, limit - daysUsed), late: today > deadline };
}
