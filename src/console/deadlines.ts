import { resolve } from "node:path";
import { z } from "zod";
import { PROJECT_ROOT } from "../config.js";
import { formatProblem, type Problem, readYamlAs } from "../engine/problems.js";
import { DataFileError } from "../errors.js";

/** The legal clocks of a report, from `flows/calendar/deadlines.yaml` (data, not code). */
export interface DeadlineSettings {
  registration_days: number;
  initial_review_days: number;
  follow_up_days: number;
  follow_up_extra_days: number;
}

const schema = z.object({
  registration_days: z.number().int().min(1).max(60),
  initial_review_days: z.number().int().min(1).max(60),
  follow_up_days: z.number().int().min(1).max(90),
  follow_up_extra_days: z.number().int().min(0).max(90),
});

export const DEADLINES_FILE = resolve(PROJECT_ROOT, "flows/calendar/deadlines.yaml");

/** Reads and checks the deadline settings; throws {@link DataFileError} naming the problem. */
export function loadDeadlines(file = DEADLINES_FILE): DeadlineSettings {
  const problems: Problem[] = [];
  const value = readYamlAs(file, "deadlines.yaml", schema, problems);
  if (!value || problems.length) throw new DataFileError(file, problems.map(formatProblem).join("\n"));
  return value;
}

const DAY = 86_400_000;

/** One clock of a report: when it runs out, whether it was met, and whether it is overdue now. */
export interface Clock {
  kind: "registration" | "initial_review" | "follow_up";
  due: Date;
  state: "met" | "open" | "overdue" | "missed";
}

/** The clocks of a report (what the law sets), given when it was taken up and finished. */
export function clocksOf(
  r: {
    track: string;
    status: string;
    createdAt: Date;
    updatedAt: Date;
    deadline: { deadline: string; late: boolean } | null;
    ackAt: Date | null;
    neededInfo: boolean;
  },
  s: DeadlineSettings,
  now: Date,
): Clock[] {
  const clocks: Clock[] = [];
  if (r.track === "formal" && r.deadline) {
    clocks.push({
      kind: "registration",
      due: new Date(`${r.deadline.deadline}T23:59:59+07:00`),
      state: r.deadline.late ? "missed" : "met",
    });
  }
  const review = new Date(r.createdAt.getTime() + s.initial_review_days * DAY);
  const taken = r.ackAt ?? (["closed", "rejected"].includes(r.status) ? r.updatedAt : null);
  clocks.push({
    kind: "initial_review",
    due: review,
    state: taken ? (taken <= review ? "met" : "missed") : now > review ? "overdue" : "open",
  });
  const follow = new Date(
    r.createdAt.getTime() + (s.follow_up_days + (r.neededInfo ? s.follow_up_extra_days : 0)) * DAY,
  );
  const done = ["closed", "rejected"].includes(r.status) ? r.updatedAt : null;
  clocks.push({
    kind: "follow_up",
    due: follow,
    state: done ? (done <= follow ? "met" : "missed") : now > follow ? "overdue" : "open",
  });
  return clocks;
}
