import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { outbox, type Report, type ReportStatus, relays, reports } from "../db/schema/index.js";
import { LaporError } from "../errors.js";
import { type ReportEventType, recordEvent } from "./lifecycle.js";

/** Which statuses a report may move to from each status. Closing needs an acknowledgement first. */
export const TRANSITIONS: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  received: ["delivered", "acknowledged", "rejected", "forwarded"],
  delivered: ["acknowledged", "needs_info", "rejected", "forwarded"],
  acknowledged: ["needs_info", "forwarded", "closed", "rejected"],
  needs_info: ["acknowledged", "forwarded", "closed", "rejected"],
  forwarded: ["delivered", "acknowledged", "rejected"],
  closed: [],
  rejected: [],
};

/** Statuses of a report an office still has to finish (listed, reminded, in the digest). */
export const OPEN_STATUSES: readonly ReportStatus[] = [
  "received",
  "delivered",
  "acknowledged",
  "needs_info",
  "forwarded",
];

/** Outcomes an office may close a report with (wording in the locale files, `outcome.*`). */
export const OUTCOMES = ["bkn", "gakkumdu", "not_proven", "other"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Reasons an office may reject a report with (`reject_reason.*`). */
export const REJECT_REASONS = ["not_asn", "not_enough_info", "duplicate", "other"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** The requested status change is not allowed from the report's current status (e.g. a second close). */
export class StatusTransitionError extends LaporError {
  constructor(
    readonly from: ReportStatus,
    readonly to: ReportStatus,
  ) {
    super("status_transition", `a report that is ${from} cannot become ${to}`);
  }
}

/** Who changes a status and why; `detail` is the outcome or reject reason code. */
export interface StatusChange {
  to: ReportStatus;
  actor: string;
  reason?: string | null;
  detail?: string | null;
  now: Date;
  /** Queue the reporter's update (default); false when the caller sends its own message. */
  notify?: boolean;
  /** The history entry's type and details when it is more than a status change (e.g. `delivered`). */
  event?: { type: ReportEventType; details: Record<string, unknown> };
}

/**
 * Moves a report to a new status inside the caller's transaction: checks the transition against
 * {@link TRANSITIONS} (with the row locked, so two officers cannot both close it), records who,
 * when and why in the report's history, and queues a short update for the reporter in their own
 * channel and language. Throws {@link StatusTransitionError}.
 */
export async function changeStatus(tx: Queryable, reportId: number, change: StatusChange): Promise<Report> {
  const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for("update");
  if (!report) throw new LaporError("not_found", `report ${reportId} not found`);
  if (!TRANSITIONS[report.status].includes(change.to))
    throw new StatusTransitionError(report.status, change.to);
  const [updated] = await tx
    .update(reports)
    .set({ status: change.to })
    .where(and(eq(reports.id, reportId), eq(reports.status, report.status)))
    .returning();
  await recordEvent(tx, reportId, {
    type: change.event?.type ?? "status",
    at: change.now,
    actor: change.actor,
    fromStatus: report.status,
    toStatus: change.to,
    reason: change.reason ?? null,
    details: { ...(change.detail ? { detail: change.detail } : {}), ...change.event?.details },
  });
  if (change.to === "closed" || change.to === "rejected") {
    await tx
      .update(relays)
      .set({ closedAt: change.now })
      .where(and(eq(relays.reportId, reportId), isNull(relays.closedAt)));
  }
  if (change.notify !== false) await queueReporterUpdate(tx, updated!, change);
  return updated!;
}

/** Queues the reporter's update (rendered when sent, in the report's language). */
async function queueReporterUpdate(tx: Queryable, report: Report, change: StatusChange): Promise<void> {
  await tx
    .insert(outbox)
    .values({
      kind: "notify_contact",
      dedupeKey: `notify:${report.id}:${change.to}:${change.now.getTime()}`,
      reportId: report.id,
      channel: report.channel,
      address: String(report.contactId),
      officeCode: report.officeCode,
      // An officer's own words for a rejection reach the reporter (officers are told they will).
      payload: {
        status: change.to,
        detail: change.detail ?? null,
        reason: change.to === "rejected" && change.detail === "other" ? (change.reason ?? null) : null,
      },
      nextAttemptAt: change.now,
    })
    .onConflictDoNothing();
}
