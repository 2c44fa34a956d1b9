/**
 * `deliver_report`: a report to one destination of an office: its card (with the officer buttons),
 * the evidence files in albums of ten, and the location; or, to a webhook, the report as one JSON
 * document. On success the report is delivered; when every destination of that office failed for
 * good, the report moves to the next usable office of its route (never for a refused message,
 * which is a bug to fix, not a reason to re-route).
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "../../db/client.js";
import {
  evidence as evidenceTable,
  offices,
  outbox,
  reportIdentities,
  reports,
} from "../../db/schema/index.js";
import { type TextKey, t } from "../../engine/locale.js";
import { findPossibleDuplicates } from "../../reports/duplicates.js";
import { exportRow } from "../../reports/export.js";
import { markDelivered, moveReport, recordEvent } from "../../reports/lifecycle.js";
import { ownPointHidden, renderReportCard } from "../card.js";
import { splitText } from "../split.js";
import type { DeliveryButton, DeliveryTransport, OutgoingFile } from "../transport.js";
import { extensionOf, type Job, type JobEnv, type JobSpec, type Part } from "./types.js";

const Payload = z.object({
  stepIndex: z.number().int().min(0).default(0),
  escalated: z.boolean().optional(),
});
export type CardPayload = z.infer<typeof Payload>;

/** One destination a report goes to. */
export interface CardDestination {
  channel: string;
  address: string;
}

/**
 * Queues a report's delivery to each destination of an office, once per `key` (the dedupe key is
 * `deliver:<report id>:<key>:<channel>:<address>`; the first delivery, written by
 * `submitReport`, uses the route step index as its key).
 */
export async function queueCard(
  tx: Queryable,
  job: {
    reportId: number;
    officeCode: string | null;
    destinations: readonly CardDestination[];
    stepIndex: number;
    key: string;
    now: Date;
    escalated?: boolean;
  },
): Promise<number> {
  if (!job.destinations.length) return 0;
  const payload: CardPayload = { stepIndex: job.stepIndex, ...(job.escalated ? { escalated: true } : {}) };
  const rows = await tx
    .insert(outbox)
    .values(
      job.destinations.map((d) => ({
        kind: "deliver_report" as const,
        dedupeKey: `deliver:${job.reportId}:${job.key}:${d.channel}:${d.address}`,
        reportId: job.reportId,
        channel: d.channel,
        address: d.address,
        officeCode: job.officeCode,
        payload,
        nextAttemptAt: job.now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length;
}

export const cardJob: JobSpec<CardPayload> = {
  kind: "deliver_report",
  payload: (raw) => Payload.parse(raw ?? {}),

  async build(job, env, transport) {
    const { db, registry, locales, store } = env;
    const [stored] = await db.select().from(reports).where(eq(reports.id, job.reportId!));
    if (!stored) throw new Error(`report ${job.reportId} is gone`);
    const [storedEvidence, identity, office] = await Promise.all([
      db
        .select()
        .from(evidenceTable)
        .where(eq(evidenceTable.reportId, stored.id))
        .orderBy(asc(evidenceTable.id)),
      stored.track === "formal"
        ? db.select().from(reportIdentities).where(eq(reportIdentities.reportId, stored.id))
        : Promise.resolve([]),
      job.officeCode
        ? db.select({ name: offices.name }).from(offices).where(eq(offices.code, job.officeCode))
        : Promise.resolve([]),
    ]);
    const officeName = office[0]?.name ?? "Admin";
    const step = stored.route[job.payload.stepIndex];
    if (transport.sendReport) {
      const fields = exportRow(stored, storedEvidence, identity[0] ?? null);
      return {
        number: stored.number,
        parts: [
          {
            kind: "report",
            report: {
              fields,
              evidence: storedEvidence.map((e) => ({
                kind: e.kind,
                file_name: e.fileName,
                mime: e.mime,
                size: e.size,
                sha256: e.sha256,
                url: e.kind === "link" ? e.url : (env.evidenceUrl?.(e) ?? null),
              })),
              office: { code: job.officeCode, name: officeName },
              reason: step?.reason ?? "",
            },
          },
        ],
      };
    }
    const { report, evidence: ev } = env.cardNotes
      ? await env.cardNotes(stored, storedEvidence)
      : { report: stored, evidence: storedEvidence };
    const duplicates = await findPossibleDuplicates(
      db,
      report,
      ev.flatMap((e) => (e.sha256 ? [e.sha256] : [])),
    );
    const card = renderReportCard(
      {
        duplicates,
        report,
        evidence: ev,
        identity: identity[0] ?? null,
        officeName,
        reason: step?.reason ?? "",
      },
      registry,
      locales,
      "id",
    );
    const buttons: DeliveryButton[] | undefined =
      env.actions && job.officeCode
        ? env.actions.cardButtons(report.id, job.officeCode).map((b) => ({
            label: t(locales, "id", `officer.buttons.${b.action.replace(":", "_")}` as TextKey),
            data: b.data,
          }))
        : undefined;
    const parts: Part[] = textParts(card, transport, buttons);
    const files = ev.filter((e) => e.kind !== "link" && e.storageKey);
    const groups = new Map<string, typeof files>();
    for (const f of files) {
      const group = f.kind === "audio" ? "audio" : "files";
      groups.set(group, [...(groups.get(group) ?? []), f]);
    }
    for (const list of groups.values()) {
      for (let i = 0; i < list.length; i += 10) {
        const chunk = list.slice(i, i + 10);
        const loaded: OutgoingFile[] = await Promise.all(
          chunk.map(async (f) => {
            // Numbered as on the card's evidence list, whatever group (album, audio) it goes in.
            const index = files.indexOf(f) + 1;
            return {
              bytes: await store.read(f.storageKey!),
              kind: f.kind as OutgoingFile["kind"],
              mime: f.mime ?? "application/octet-stream",
              // On a tip the file's own name may name the reporter: it is renamed to the report number.
              fileName:
                report.track === "tip" || !f.fileName
                  ? `${report.number}-${index}.${extensionOf(f.mime)}`
                  : f.fileName,
              caption: t(locales, "id", "card.file_caption", {
                number: report.number,
                index,
                count: files.length,
                caption: f.caption ? ` · «${f.caption}»` : "",
                sha256: f.sha256 ?? "",
              }),
            };
          }),
        );
        parts.push({ kind: "files", files: loaded });
      }
    }
    // A tip's GPS point is the citizen's own position: never sent to an office (the regency is enough).
    if (report.lat !== null && report.lon !== null && !ownPointHidden(report))
      parts.push({ kind: "location", lat: report.lat, lon: report.lon });
    return { parts, number: report.number };
  },

  async succeeded(tx, job, env) {
    await markDelivered(tx, job.reportId!, {
      channel: job.channel,
      officeCode: job.officeCode,
      now: env.now(),
    });
    return undefined;
  },

  async failedForGood(tx, job, env, failure) {
    const now = env.now();
    await recordEvent(tx, job.reportId!, {
      type: "delivery_failed",
      actor: "system:delivery",
      at: now,
      reason: failure.message,
      details: {
        channel: job.channel,
        officeCode: job.officeCode,
        failure: failure.kind,
        code: failure.platformCode ?? null,
      },
    });
    // A message the platform refused as wrong is a bug: other offices would refuse it the same way.
    if (failure.kind === "refused" && failure.bug) return;
    await fallBack(tx, job, env);
  },
};

/**
 * The card as text parts the transport takes: split under its limits with nothing cut, the
 * buttons on the last part (which may have a smaller limit, e.g. the Cloud API's list body).
 */
export function textParts(text: string, transport: DeliveryTransport, buttons?: DeliveryButton[]): Part[] {
  const { text: max, textWithButtons } = transport.limits;
  const pieces = splitText(text, max, buttons?.length ? Math.min(max, textWithButtons) : max);
  return pieces.map((piece, i) => ({
    kind: "text" as const,
    text: piece,
    ...(buttons?.length && i === pieces.length - 1 ? { buttons } : {}),
  }));
}

/**
 * When no destination of the same office got (or may still get) the report, it moves to the next
 * usable office of its route, so it is never dropped.
 */
async function fallBack(tx: Queryable, job: Job<CardPayload>, env: JobEnv): Promise<void> {
  const stepIndex = job.payload.stepIndex;
  const siblings = await tx
    .select({ status: outbox.status, payload: outbox.payload, officeCode: outbox.officeCode })
    .from(outbox)
    .where(and(eq(outbox.reportId, job.reportId!), eq(outbox.kind, "deliver_report")));
  const sameStep = siblings.filter(
    (s) => s.officeCode === job.officeCode && Payload.parse(s.payload ?? {}).stepIndex === stepIndex,
  );
  if (sameStep.some((s) => s.status !== "failed")) return;
  const [report] = await tx.select().from(reports).where(eq(reports.id, job.reportId!));
  if (!report || report.officeCode !== job.officeCode) return;
  const route = await env.router.forRegion(report.regionCode, tx);
  const next = route.steps.findIndex((s, i) => i > stepIndex && s.usable && s.officeCode !== job.officeCode);
  if (next < 0) return;
  const step = route.steps[next]!;
  const now = env.now();
  await moveReport(tx, report.id, {
    kind: "escalated",
    toOffice: step.officeCode,
    actor: "system:delivery",
    reason: step.reason,
    now,
  });
  await queueCard(tx, {
    reportId: report.id,
    officeCode: step.officeCode,
    destinations: step.destinations,
    stepIndex: next,
    key: String(next),
    now,
  });
}
