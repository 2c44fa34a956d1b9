/**
 * The one owner of a report's history and of where it is: every report event is written by
 * {@link recordEvent}; a status changes only through `changeStatus` (`status.ts`, checked
 * transitions); a report moves to another office only through {@link moveReport}; a delivery is
 * recorded only through {@link markDelivered}. Callers pass their transaction.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { type Report, relays, reportEvents, reports, type StoredRouteStep } from "../db/schema/index.js";
import { LaporError } from "../errors.js";
import { changeStatus, TRANSITIONS } from "./status.js";

/** The kinds of event a report's history holds. */
export type ReportEventType =
  | "status"
  | "delivered"
  | "delivery_failed"
  | "delivery_retry"
  | "escalated"
  | "escalated_unacknowledged"
  | "forwarded"
  | "reminded"
  | "reporter_answered";

/** One entry of a report's history. */
export interface ReportEventInput {
  type: ReportEventType;
  actor: string;
  at: Date;
  reason?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  details?: Record<string, unknown>;
}

/** Adds an entry to a report's history (the only place report events are written). */
export async function recordEvent(tx: Queryable, reportId: number, event: ReportEventInput): Promise<void> {
  await tx.insert(reportEvents).values({
    reportId,
    at: event.at,
    actor: event.actor,
    type: event.type,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    reason: event.reason ?? null,
    details: event.details ?? {},
  });
}

/** Why a report moves: an officer forwarded it, delivery fell back, or nobody acknowledged it in time. */
export type MoveKind = "forwarded" | "escalated" | "escalated_unacknowledged";

/** A move of a report to another office. */
export interface ReportMove {
  kind: MoveKind;
  /** The office that takes the report over (null: the admin fallback). */
  toOffice: string | null;
  actor: string;
  /** Why, in words (the officer's reason, or the routing reason of the new office). */
  reason: string | null;
  now: Date;
  /** A new routing decision (an officer forwarding to another place): stored with the report. */
  route?: { regionCode: string | null; steps: StoredRouteStep[] };
  details?: Record<string, unknown>;
}

/**
 * Moves a report to another office inside the caller's transaction: an officer's forward changes
 * the status to `forwarded` (checked, the reporter told) and stores the new route; every move
 * records from where to where and why, and closes an open question to the reporter (the relay
 * belongs to the office that asked). Resolves to the report as it now is.
 */
export async function moveReport(tx: Queryable, reportId: number, move: ReportMove): Promise<Report> {
  const [before] = await tx.select().from(reports).where(eq(reports.id, reportId)).for("update");
  if (!before) throw new LaporError("not_found", `report ${reportId} not found`);
  if (move.kind === "forwarded")
    await changeStatus(tx, reportId, {
      to: "forwarded",
      actor: move.actor,
      reason: move.reason,
      now: move.now,
    });
  const [after] = await tx
    .update(reports)
    .set({
      officeCode: move.toOffice,
      ...(move.route ? { regionCode: move.route.regionCode, route: move.route.steps } : {}),
    })
    .where(eq(reports.id, reportId))
    .returning();
  await recordEvent(tx, reportId, {
    type: move.kind,
    actor: move.actor,
    at: move.now,
    reason: move.reason,
    details: { ...move.details, from: before.officeCode, to: move.toOffice },
  });
  if (before.officeCode !== move.toOffice)
    await tx
      .update(relays)
      .set({ closedAt: move.now })
      .where(and(eq(relays.reportId, reportId), isNull(relays.closedAt)));
  return after!;
}

/**
 * Records that a report reached an office destination: a report still `received` or `forwarded`
 * becomes `delivered` through the checked transitions (the reporter is not messaged for it); a
 * report already further along (taken up, closed) keeps its status. The delivery is in its history
 * either way.
 */
export async function markDelivered(
  tx: Queryable,
  reportId: number,
  delivery: { channel: string; officeCode: string | null; now: Date; actor?: string },
): Promise<void> {
  const actor = delivery.actor ?? "system:delivery";
  const [r] = await tx.select({ status: reports.status }).from(reports).where(eq(reports.id, reportId));
  if (!r) return;
  const details = { channel: delivery.channel, officeCode: delivery.officeCode };
  if (r.status !== "delivered" && TRANSITIONS[r.status].includes("delivered"))
    await changeStatus(tx, reportId, {
      to: "delivered",
      actor,
      now: delivery.now,
      notify: false,
      event: { type: "delivered", details },
    });
  else await recordEvent(tx, reportId, { type: "delivered", actor, at: delivery.now, details });
}
