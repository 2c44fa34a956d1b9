/** `reminder`: an office is reminded of a report it has not taken up in time. */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../../db/client.js";
import { reports } from "../../db/schema/index.js";
import { t } from "../../engine/locale.js";
import { textParts } from "./card.js";
import { queueForOffice } from "./office-message.js";
import type { JobSpec } from "./types.js";

const Payload = z.object({ hours: z.number().default(0) });
export type ReminderPayload = z.infer<typeof Payload>;

/** Queues the reminder for each destination of the office, once per report. */
export function queueReminder(
  tx: Queryable,
  job: { reportId: number; officeCode: string; hours: number; now: Date },
): Promise<number> {
  const payload: ReminderPayload = { hours: job.hours };
  return queueForOffice(tx, {
    kind: "reminder",
    officeCode: job.officeCode,
    key: `reminder:${job.reportId}`,
    reportId: job.reportId,
    payload,
    now: job.now,
  });
}

export const reminderJob: JobSpec<ReminderPayload> = {
  kind: "reminder",
  payload: (raw) => Payload.parse(raw ?? {}),
  async build(job, env, transport) {
    const [r] = await env.db
      .select({ number: reports.number })
      .from(reports)
      .where(eq(reports.id, job.reportId!));
    const number = r?.number ?? "";
    const text = t(env.locales, "id", "card.reminder", { number, hours: String(job.payload.hours) });
    return { parts: textParts(text, transport), number };
  },
};
