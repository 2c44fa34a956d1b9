/**
 * `notify_contact`: a short update to the reporter in their own chat and language: a status change
 * (`notify.<status>[_<detail>]`) or an office's question (`notify.question`). The text sent is kept
 * in the payload (`sent`) so the web simulator can show it and admins can see what was said.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../../db/client.js";
import { contacts, offices, outbox, type Report, reports } from "../../db/schema/index.js";
import { type TextKey, t } from "../../engine/locale.js";
import { textParts } from "./card.js";
import type { JobSpec } from "./types.js";

const Payload = z.object({
  status: z.string().optional(),
  detail: z.string().nullable().optional(),
  template: z.literal("question").optional(),
  question: z.string().optional(),
  /** An officer's reason for a rejection, shown to the reporter. */
  reason: z.string().nullable().optional(),
  sent: z.string().optional(),
});
export type ReporterUpdatePayload = z.infer<typeof Payload>;

/** Queues an office's question to the reporter (`/tanya`), once per moment it was asked. */
export async function queueQuestion(
  tx: Queryable,
  report: Pick<Report, "id" | "channel" | "contactId">,
  officeCode: string,
  question: string,
  now: Date,
): Promise<void> {
  const payload: ReporterUpdatePayload = { template: "question", question };
  await tx.insert(outbox).values({
    kind: "notify_contact",
    dedupeKey: `question:${report.id}:${now.getTime()}`,
    reportId: report.id,
    channel: report.channel,
    address: String(report.contactId),
    officeCode,
    payload,
    nextAttemptAt: now,
  });
}

export const reporterUpdateJob: JobSpec<ReporterUpdatePayload> = {
  kind: "notify_contact",
  payload: (raw) => Payload.parse(raw ?? {}),

  async build(job, env, transport) {
    const [row] = await env.db
      .select({ report: reports, contact: contacts, officeName: offices.name })
      .from(reports)
      .innerJoin(contacts, eq(contacts.id, reports.contactId))
      .leftJoin(offices, eq(offices.code, reports.officeCode))
      .where(eq(reports.id, job.reportId!));
    if (!row) throw new Error(`report ${job.reportId} is gone`);
    const p = job.payload;
    const key = (
      p.template ? `notify.${p.template}` : `notify.${p.status}${p.detail ? `_${p.detail}` : ""}`
    ) as TextKey;
    const text = t(env.locales, row.report.lang, key, {
      office: row.officeName ?? "Bawaslu",
      number: row.report.number,
      question: p.question ?? "",
      reason: p.reason ?? "",
    });
    return { parts: textParts(text, transport), number: row.report.number, address: row.contact.externalId };
  },

  async succeeded(_tx, job, _env, sent) {
    const text = sent.flatMap((p) => (p.kind === "text" ? [p.text] : [])).join("\n");
    return text ? { ...job.payload, sent: text } : undefined;
  },
};
