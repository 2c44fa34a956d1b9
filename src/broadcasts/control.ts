/**
 * What an admin does with broadcasts: create one (from a library reminder or a text of their own),
 * preview it to a test chat, start, pause, resume and cancel it, and read its progress. Every change
 * is checked against the broadcast's status (no resuming a cancelled broadcast) and written to the
 * audit log.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import { type Database, rowsOf } from "../db/client.js";
import { type Broadcast, broadcastDeliveries, broadcastRuns, broadcasts } from "../db/schema/index.js";
import { InputError, LaporError, NotFoundError } from "../errors.js";
import { parseAddress } from "./audience.js";
import type { ElectionCalendar } from "./calendar.js";
import type { Reminder } from "./library.js";
import { type Schedule, ScheduleSchema, validateSchedule } from "./schedule.js";
import { type CreatedRun, createRun } from "./scheduler.js";

/** A change a broadcast's status does not allow (e.g. resuming a cancelled one). */
export class BroadcastStateError extends LaporError {
  constructor(
    readonly broadcastId: number,
    readonly status: string,
    action: string,
  ) {
    super("broadcast_state", `broadcast ${broadcastId} is ${status}: cannot ${action}`);
  }
}

/** What `create` needs. */
export interface NewBroadcast {
  name?: string;
  /** A library reminder id, or … */
  contentId?: string;
  /** … a text of the admin's own, in both languages. */
  text?: { id: string; en: string };
  imagePath?: string;
  audience: Broadcast["audience"];
  regions?: string[];
  testAddress?: string;
  schedule: Schedule;
  createdBy: string;
}

/** Where the library, calendar and region list come from. */
export interface ControlContext {
  library: readonly Reminder[];
  calendar: ElectionCalendar;
  /** Whether a province ("18") or regency ("18.72") code exists. */
  regionExists: (code: string) => boolean;
}

/** Counts of one broadcast's deliveries (previews excluded). */
export interface BroadcastProgress {
  id: number;
  name: string;
  status: Broadcast["status"];
  runs: number;
  total: number;
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  blocked: number;
  cancelled: number;
  interrupted: number;
  /** Errors by class, for the report. */
  errors: Record<string, number>;
  /** Messages per second over the last 10 seconds. */
  rate: number;
  /** Seconds until done at that rate, or null when unknown. */
  etaSeconds: number | null;
}

const ACTOR_ENTITY = "broadcast";

/** Finds a broadcast or throws {@link NotFoundError}. */
export async function getBroadcast(db: Database, id: number): Promise<Broadcast> {
  const [b] = await db.select().from(broadcasts).where(eq(broadcasts.id, id)).limit(1);
  if (!b) throw new NotFoundError("broadcast", String(id));
  return b;
}

/** Creates a draft broadcast (nothing is sent before `start`). */
export async function createBroadcast(
  db: Database,
  input: NewBroadcast,
  ctx: ControlContext,
): Promise<Broadcast> {
  const reminder = input.contentId ? ctx.library.find((r) => r.id === input.contentId) : undefined;
  if (input.contentId && !reminder)
    throw new InputError("content", `unknown reminder "${input.contentId}" (see: broadcasts library)`);
  const text = reminder?.text ?? input.text;
  if (!text?.id.trim() || !text.en.trim())
    throw new InputError("content", "give --content <reminder id>, or both --text-id and --text-en");
  const schedule = ScheduleSchema.parse(input.schedule);
  validateSchedule(schedule, ctx.calendar);
  const regions = input.regions ?? [];
  if (input.audience === "province" || input.audience === "regency") {
    if (regions.length === 0)
      throw new InputError("audience", `a ${input.audience} audience needs region codes`);
    for (const code of regions) {
      const shape = input.audience === "province" ? /^\d{2}$/ : /^\d{2}\.\d{2}$/;
      if (!shape.test(code) || !ctx.regionExists(code))
        throw new InputError("audience", `unknown ${input.audience} code "${code}"`);
    }
  }
  if (input.audience === "test" && !parseAddress(input.testAddress ?? ""))
    throw new InputError("audience", "a test audience needs an address such as telegram:123456");
  const [row] = await db
    .insert(broadcasts)
    .values({
      name: input.name ?? reminder?.title ?? text.id.slice(0, 60),
      contentId: reminder?.id ?? null,
      textId: text.id,
      textEn: text.en,
      imagePath: input.imagePath ?? reminder?.imagePath ?? null,
      audience: input.audience,
      regions,
      testAddress: input.testAddress ?? null,
      schedule,
      createdBy: input.createdBy,
    })
    .returning();
  await recordAudit(db, {
    actor: input.createdBy,
    action: "broadcast.create",
    entity: ACTOR_ENTITY,
    entityKey: String(row!.id),
    details: { audience: input.audience, regions, schedule },
  });
  return row!;
}

async function transition(
  db: Database,
  id: number,
  from: readonly Broadcast["status"][],
  to: Broadcast["status"],
  action: string,
  actor: string,
  now: Date,
): Promise<Broadcast> {
  const current = await getBroadcast(db, id);
  if (!from.includes(current.status)) throw new BroadcastStateError(id, current.status, action);
  const stamp =
    to === "active"
      ? { startedAt: current.startedAt ?? now, pausedAt: null }
      : to === "paused"
        ? { pausedAt: now }
        : to === "cancelled"
          ? { cancelledAt: now }
          : {};
  const [row] = await db
    .update(broadcasts)
    .set({ status: to, ...stamp })
    .where(and(eq(broadcasts.id, id), inArray(broadcasts.status, [...from])))
    .returning();
  if (!row) throw new BroadcastStateError(id, (await getBroadcast(db, id)).status, action);
  await recordAudit(db, {
    actor,
    action: `broadcast.${action}`,
    entity: ACTOR_ENTITY,
    entityKey: String(id),
    details: { from: current.status },
  });
  return row;
}

/** Starts a draft: the scheduler creates its runs when they are due. */
export function startBroadcast(
  db: Database,
  id: number,
  actor: string,
  now = new Date(),
): Promise<Broadcast> {
  return transition(db, id, ["draft"], "active", "start", actor, now);
}

/** Pauses sending: rows not yet claimed wait; a page already claimed is finished. */
export function pauseBroadcast(
  db: Database,
  id: number,
  actor: string,
  now = new Date(),
): Promise<Broadcast> {
  return transition(db, id, ["active"], "paused", "pause", actor, now);
}

/** Resumes a paused broadcast where it stopped. */
export function resumeBroadcast(
  db: Database,
  id: number,
  actor: string,
  now = new Date(),
): Promise<Broadcast> {
  return transition(db, id, ["paused"], "active", "resume", actor, now);
}

/** Cancels: nothing more is sent; rows not yet sent are marked cancelled (kept, for the report). */
export async function cancelBroadcast(
  db: Database,
  id: number,
  actor: string,
  now = new Date(),
): Promise<Broadcast> {
  const row = await transition(db, id, ["draft", "active", "paused"], "cancelled", "cancel", actor, now);
  await db.transaction(async (tx) => {
    await tx.execute(sql`update broadcast_deliveries d set status = 'cancelled', done_at = ${now.toISOString()}::timestamptz
      from broadcast_runs r where r.id = d.run_id and r.broadcast_id = ${id} and d.status = 'pending'`);
    await tx.execute(sql`update broadcast_runs set status = 'cancelled', finished_at = ${now.toISOString()}::timestamptz
      where broadcast_id = ${id} and status = 'sending'`);
  });
  return row;
}

/** Sends the broadcast to one test chat ("telegram:123") now, whatever its status (not when cancelled). */
export async function previewBroadcast(
  db: Database,
  id: number,
  to: string,
  actor: string,
  now = new Date(),
): Promise<CreatedRun> {
  if (!parseAddress(to)) throw new InputError("to", "write the test chat as telegram:<chat id>");
  const b = await getBroadcast(db, id);
  if (b.status === "cancelled") throw new BroadcastStateError(id, b.status, "preview");
  const run = await createRun(db, b, now, { preview: true, testAddress: to, now });
  if (!run) throw new InputError("to", "a preview was just created; try again in a moment");
  await recordAudit(db, {
    actor,
    action: "broadcast.preview",
    entity: ACTOR_ENTITY,
    entityKey: String(id),
    details: { run: run.runId },
  });
  return run;
}

/** Every broadcast, newest first. */
export function listBroadcasts(db: Database): Promise<Broadcast[]> {
  return db.select().from(broadcasts).orderBy(desc(broadcasts.id));
}

/** The counts of a broadcast's deliveries over all its runs (previews excluded), with rate and ETA. */
export async function broadcastProgress(
  db: Database,
  id: number,
  now = new Date(),
): Promise<BroadcastProgress> {
  const b = await getBroadcast(db, id);
  const since = new Date(now.getTime() - 10_000).toISOString();
  const [counts] = rowsOf<Record<string, number>>(
    await db.execute(sql`select count(distinct r.id)::int as runs, count(d.id)::int as total,
        count(*) filter (where d.status = 'pending')::int as pending,
        count(*) filter (where d.status = 'sending')::int as sending,
        count(*) filter (where d.status = 'sent')::int as sent,
        count(*) filter (where d.status = 'failed')::int as failed,
        count(*) filter (where d.status = 'blocked')::int as blocked,
        count(*) filter (where d.status = 'cancelled')::int as cancelled,
        count(*) filter (where d.status = 'interrupted')::int as interrupted,
        count(*) filter (where d.status = 'sent' and d.done_at >= ${since}::timestamptz)::int as recent
      from broadcast_runs r left join broadcast_deliveries d on d.run_id = r.id
      where r.broadcast_id = ${id} and not r.preview`),
  );
  const errors = rowsOf<{ error_class: string; n: number }>(
    await db.execute(sql`select d.error_class, count(*)::int as n from broadcast_deliveries d
      join broadcast_runs r on r.id = d.run_id
      where r.broadcast_id = ${id} and not r.preview and d.error_class is not null group by d.error_class`),
  );
  const c = (k: string) => Number(counts?.[k] ?? 0);
  const rate = c("recent") / 10;
  const remaining = c("pending") + c("sending");
  return {
    id,
    name: b.name,
    status: b.status,
    runs: c("runs"),
    total: c("total"),
    pending: c("pending"),
    sending: c("sending"),
    sent: c("sent"),
    failed: c("failed"),
    blocked: c("blocked"),
    cancelled: c("cancelled"),
    interrupted: c("interrupted"),
    errors: Object.fromEntries(errors.map((e) => [e.error_class, Number(e.n)])),
    rate,
    etaSeconds: remaining === 0 ? 0 : rate > 0 ? Math.ceil(remaining / rate) : null,
  };
}

/** The delivery rows of a run by status (for tests and the report). */
export async function runStatusCounts(db: Database, runId: number): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: broadcastDeliveries.status, n: sql<number>`count(*)::int` })
    .from(broadcastDeliveries)
    .where(eq(broadcastDeliveries.runId, runId))
    .groupBy(broadcastDeliveries.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The runs of a broadcast, oldest first. */
export function runsOf(db: Database, id: number) {
  return db
    .select()
    .from(broadcastRuns)
    .where(eq(broadcastRuns.broadcastId, id))
    .orderBy(broadcastRuns.occurrenceAt);
}
