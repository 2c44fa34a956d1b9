/**
 * When a broadcast is sent, as data (stored as JSON in `broadcasts.schedule`), and the pure function
 * that says which occurrence is due at a given instant. The scheduler (`scheduler.ts`) turns each
 * due occurrence into one run; runs are unique per (broadcast, occurrence), so what is due is derived
 * from the database and the calendar, never from in-memory timers alone.
 *
 * - `now`: once, as soon as it is started.
 * - `at`: once, at an instant (written in Asia/Jakarta by the admin: "2024-11-20 08:00").
 * - `cron`: recurring (croner, timezone Asia/Jakarta, five fields: "0 8 * * 1" = Mondays 08:00),
 *   optionally only `during` a phase of the election calendar and/or `until` an instant.
 * - `phase`: once, relative to a phase: `offsetDays` (negative = before) from its first (`start`)
 *   or last (`end`) day, at `time` WIB: "2 days before pilkada2024/quiet, 08:00".
 *
 * A recurring occurrence missed while the program was down is sent late only if it is less than
 * {@link MAX_LATE_MS} old, and only the most recent one (never a pile of stale reminders); a one-off
 * is sent whenever it is found due.
 */
import { Cron } from "croner";
import { z } from "zod";
import { InputError } from "../errors.js";
import { type ElectionCalendar, JAKARTA_OFFSET, jakartaMidnight, phaseWindow } from "./calendar.js";

/** The schedules' timezone. */
export const TIMEZONE = "Asia/Jakarta";
/** How late a missed recurring occurrence may still be sent. */
export const MAX_LATE_MS = 6 * 3_600_000;

const iso = z.iso.datetime({ offset: true });
const phaseRef = z.string().regex(/^[a-z][a-z0-9_]*\/[a-z][a-z0-9_]*$/, "is written election/phase");

/** zod schema of a schedule. */
export const ScheduleSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("now") }),
  z.strictObject({ kind: z.literal("at"), at: iso }),
  z.strictObject({
    kind: z.literal("cron"),
    cron: z
      .string()
      .refine((c) => c.trim().split(/\s+/).length === 5, "needs five fields (minute hour day month weekday)"),
    during: phaseRef.optional(),
    until: iso.optional(),
  }),
  z.strictObject({
    kind: z.literal("phase"),
    phase: phaseRef,
    anchor: z.enum(["start", "end"]),
    offsetDays: z.number().int().min(-366).max(366),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "is written HH:MM"),
  }),
]);
/** See {@link ScheduleSchema}. */
export type Schedule = z.infer<typeof ScheduleSchema>;

/** What the schedule is measured against. */
export interface ScheduleContext {
  calendar: ElectionCalendar;
  /** When the admin started the broadcast. */
  startedAt: Date;
  /** The occurrence of the broadcast's latest run, if any. */
  lastOccurrence: Date | undefined;
}

/** Reads "2024-11-20 08:00" (Asia/Jakarta) or a full ISO instant. Throws {@link InputError}. */
export function parseJakartaTime(field: string, text: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  const d = m ? new Date(`${m[1]}T${m[2]}:${m[3]}:00${JAKARTA_OFFSET}`) : new Date(text);
  if (Number.isNaN(d.getTime()))
    throw new InputError(field, `${field}: write the time as "2024-11-20 08:00" (WIB)`);
  return d;
}

function cronOf(pattern: string): Cron {
  return new Cron(pattern, { timezone: TIMEZONE });
}

/** The instant of a one-off schedule (`now` counts from the start). */
function oneOff(schedule: Schedule, ctx: Pick<ScheduleContext, "calendar" | "startedAt">): Date | undefined {
  switch (schedule.kind) {
    case "now":
      return ctx.startedAt;
    case "at":
      return new Date(schedule.at);
    case "phase": {
      const [electionId, phaseId] = schedule.phase.split("/");
      const phase = ctx.calendar.elections
        .find((e) => e.id === electionId)
        ?.phases.find((p) => p.id === phaseId);
      if (!phase) return undefined;
      const day = jakartaMidnight(schedule.anchor === "start" ? phase.start : phase.end);
      const [h, m] = schedule.time.split(":").map(Number);
      return new Date(day.getTime() + schedule.offsetDays * 86_400_000 + (h! * 60 + m!) * 60_000);
    }
    default:
      return undefined;
  }
}

/** The window a recurring schedule may fire in. */
function cronWindow(
  schedule: Extract<Schedule, { kind: "cron" }>,
  ctx: ScheduleContext,
): { from: Date; to: Date } {
  let from = ctx.startedAt;
  let to = schedule.until ? new Date(schedule.until) : new Date(8.64e15);
  if (schedule.during) {
    const w = phaseWindow(ctx.calendar, schedule.during);
    if (w.start > from) from = w.start;
    if (w.end < to) to = w.end;
  }
  return { from, to };
}

/**
 * The occurrence due at `now` that has no run yet, or undefined.
 *
 * @example dueOccurrence({ kind: "cron", cron: "0 8 * * 1", during: "pilkada2024/campaign" }, now, ctx)
 */
export function dueOccurrence(schedule: Schedule, now: Date, ctx: ScheduleContext): Date | undefined {
  if (schedule.kind !== "cron") {
    if (ctx.lastOccurrence) return undefined;
    const at = oneOff(schedule, ctx);
    return at && at <= now ? at : undefined;
  }
  const { from, to } = cronWindow(schedule, ctx);
  let cursor = new Date(
    Math.max(from.getTime() - 1, now.getTime() - MAX_LATE_MS, ctx.lastOccurrence?.getTime() ?? 0),
  );
  const cron = cronOf(schedule.cron);
  let due: Date | undefined;
  for (let i = 0; i < 100_000; i++) {
    const next = cron.nextRun(cursor);
    if (!next || next > now || next >= to) break;
    if (next >= from) due = next;
    cursor = next;
  }
  return due;
}

/** The next occurrence after `after` (for listings), or undefined when there is none. */
export function nextOccurrence(schedule: Schedule, after: Date, ctx: ScheduleContext): Date | undefined {
  if (schedule.kind !== "cron") {
    if (ctx.lastOccurrence) return undefined;
    return oneOff(schedule, ctx);
  }
  const { from, to } = cronWindow(schedule, ctx);
  const start = new Date(Math.max(after.getTime(), from.getTime() - 1, ctx.lastOccurrence?.getTime() ?? 0));
  const next = cronOf(schedule.cron).nextRun(start);
  return next && next < to ? next : undefined;
}

/** Checks a schedule against the calendar (phases exist, the cron pattern parses). Throws {@link InputError}. */
export function validateSchedule(schedule: Schedule, calendar: ElectionCalendar): void {
  try {
    if (schedule.kind === "cron") {
      cronOf(schedule.cron);
      if (schedule.during) phaseWindow(calendar, schedule.during);
    }
    if (schedule.kind === "phase") phaseWindow(calendar, schedule.phase);
  } catch (e) {
    throw new InputError("schedule", `schedule: ${(e as Error).message}`);
  }
}

/** "Mondays 08:00 (cron 0 8 * * 1) during pilkada2024/campaign" and the like, for admins. */
export function describeSchedule(schedule: Schedule): string {
  switch (schedule.kind) {
    case "now":
      return "as soon as started";
    case "at":
      return `at ${schedule.at}`;
    case "cron":
      return `cron "${schedule.cron}" (WIB)${schedule.during ? ` during ${schedule.during}` : ""}${schedule.until ? ` until ${schedule.until}` : ""}`;
    case "phase": {
      const d = Math.abs(schedule.offsetDays);
      const rel =
        schedule.offsetDays === 0 ? "on" : `${d} day(s) ${schedule.offsetDays < 0 ? "before" : "after"}`;
      return `${rel} the ${schedule.anchor} of ${schedule.phase}, ${schedule.time} WIB`;
    }
  }
}
