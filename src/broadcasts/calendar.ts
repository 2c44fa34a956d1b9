/**
 * The election calendar as data (`flows/calendar/elections.yaml`): elections and their phases
 * (campaign, quiet period, voting day …) with dates in Asia/Jakarta. Schedules refer to a phase as
 * `<election>/<phase>`, e.g. `pilkada2024/quiet`.
 *
 * A phase runs from 00:00 WIB of its first day to 00:00 WIB of the day after its last day.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { type Problem, zodProblems } from "../engine/problems.js";
import { DataFileError, NotFoundError } from "../errors.js";

/** Asia/Jakarta is UTC+7 all year (no daylight saving). */
export const JAKARTA_OFFSET = "+07:00";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "dates are written YYYY-MM-DD")
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, "not a real date");

const PhaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name: z.strictObject({ id: z.string().min(1), en: z.string().min(1) }),
  start: day,
  end: day,
});

const CalendarSchema = z.strictObject({
  elections: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9_]*$/),
        name: z.strictObject({ id: z.string().min(1), en: z.string().min(1) }),
        phases: z.array(PhaseSchema).min(1),
      }),
    )
    .min(1),
});

/** The calendar as loaded. */
export type ElectionCalendar = z.infer<typeof CalendarSchema>;

/** A phase's time window: `[start, end)`. */
export interface PhaseWindow {
  start: Date;
  end: Date;
}

/** 00:00 WIB of a YYYY-MM-DD day. */
export function jakartaMidnight(day: string): Date {
  return new Date(`${day}T00:00:00${JAKARTA_OFFSET}`);
}

/** Reads and checks the calendar; problems name the file and path. */
export function readCalendar(file: string): { calendar?: ElectionCalendar; problems: Problem[] } {
  const shown = relative(process.cwd(), file) || file;
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, "utf8"));
  } catch (e) {
    return {
      problems: [{ file: shown, path: "", message: `cannot read: ${(e as Error).message}`, level: "error" }],
    };
  }
  const r = CalendarSchema.safeParse(raw);
  if (!r.success) return { problems: zodProblems(shown, r.error) };
  const problems: Problem[] = [];
  const seen = new Set<string>();
  r.data.elections.forEach((e, i) => {
    if (seen.has(e.id))
      problems.push({
        file: shown,
        path: `elections[${i}].id`,
        message: `duplicate "${e.id}"`,
        level: "error",
      });
    seen.add(e.id);
    const phases = new Set<string>();
    e.phases.forEach((p, j) => {
      const at = `elections[${i}].phases[${j}]`;
      if (phases.has(p.id))
        problems.push({ file: shown, path: `${at}.id`, message: `duplicate "${p.id}"`, level: "error" });
      phases.add(p.id);
      if (p.end < p.start)
        problems.push({ file: shown, path: `${at}.end`, message: "is before start", level: "error" });
    });
  });
  return { calendar: r.data, problems };
}

/** Loads the calendar; throws {@link DataFileError} on the first error. */
export function loadCalendar(file: string): ElectionCalendar {
  const { calendar, problems } = readCalendar(file);
  const error = problems.find((p) => p.level === "error");
  if (error || !calendar) throw new DataFileError(file, `${error?.path}: ${error?.message}`);
  return calendar;
}

/**
 * The window of `<election>/<phase>`. Throws {@link NotFoundError} for an unknown reference.
 *
 * @example phaseWindow(cal, "pilkada2024/quiet") // { start: 2024-11-23T17:00Z, end: 2024-11-26T17:00Z }
 */
export function phaseWindow(calendar: ElectionCalendar, ref: string): PhaseWindow {
  const [electionId, phaseId] = ref.split("/");
  const phase = calendar.elections.find((e) => e.id === electionId)?.phases.find((p) => p.id === phaseId);
  if (!phase) throw new NotFoundError("election phase", ref);
  const end = jakartaMidnight(phase.end);
  end.setUTCDate(end.getUTCDate() + 1);
  return { start: jakartaMidnight(phase.start), end };
}
