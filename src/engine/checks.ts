/**
 * Named checks that `check` steps call, and branch on:
 *
 * ```yaml
 * deadline_check:
 *   type: check
 *   check: reporting_deadline
 *   args: { learned: learned_date }
 *   next:
 *     - if: { result: late }
 *       goto: late_offer
 *     - goto: place
 * ```
 *
 * A check is pure: it reads answers and the clock through lookups, returns a result name and
 * variables for later texts (`{{deadline}}`, `{{daysLate}}`).
 */
import type { DayCounting, Lookups } from "./lookups.js";
import type { Json } from "./types.js";

/** What a check may read besides its arguments. */
export interface CheckContext {
  now: Date;
  lookups: Lookups;
  settings: { dayCounting: DayCounting };
}

/** What a check returns: the branch to take and variables for texts. */
export interface CheckOutcome {
  result: string;
  vars: Record<string, Json>;
}

/** A named check. */
export interface CheckDefinition {
  /** Argument names; each is given an answer key in the flow file. */
  args: readonly string[];
  /** Every result the check may return (the flow checker verifies branches against it). */
  results: readonly string[];
  /** Variables the check sets, for people editing texts. */
  vars: readonly string[];
  /** Runs the check on the answers named by the step's args. */
  run(args: Record<string, Json | undefined>, ctx: CheckContext): CheckOutcome;
}

/** Whole calendar days from one YYYY-MM-DD date to another (positive when `b` is later). */
function calendarDaysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The 7-day rule of a formal report, counted from the day the reporter learned of the event, in
 * calendar or working days (`settings.dayCounting`). Sets `deadline` (YYYY-MM-DD), `daysLate`
 * (calendar days after the deadline), `daysLeft` and `dayCounting` ("calendar" or "working", for
 * texts that say "7 hari kerja"). A missing learned date is never late (the tip track has none).
 */
const reportingDeadline: CheckDefinition = {
  args: ["learned"],
  results: ["ok", "late"],
  vars: ["deadline", "daysLate", "daysLeft", "dayCounting"],
  run(args, ctx): CheckOutcome {
    const learned = args.learned;
    const dayCounting = ctx.settings.dayCounting;
    if (typeof learned !== "string") return { result: "ok", vars: { dayCounting } };
    const today = ctx.lookups.today(ctx.now);
    if (learned > today) return { result: "ok", vars: { dayCounting } };
    const check = ctx.lookups.checkReportingDeadline(learned, today, ctx.settings.dayCounting);
    const daysLate = check.late ? Math.max(1, calendarDaysBetween(check.deadline, today)) : 0;
    return {
      result: check.late ? "late" : "ok",
      vars: { deadline: check.deadline, daysLate, daysLeft: check.daysLeft, dayCounting },
    };
  },
};

/** Every check by name. Add new ones here; the flow checker rejects unknown names. */
export const CHECKS: Readonly<Record<string, CheckDefinition>> = {
  reporting_deadline: reportingDeadline,
};
