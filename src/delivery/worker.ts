import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import {
  contacts,
  type Evidence,
  evidence as evidenceTable,
  type OutboxJob,
  offices,
  outbox,
  type Report,
  reportEvents,
  reportIdentities,
  reports,
} from "../db/schema/index.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import { type LocaleBundle, type TextKey, t } from "../engine/locale.js";
import type { Logger } from "../log.js";
import type { OfficerActions } from "../officers/actions.js";
import { findPossibleDuplicates } from "../reports/duplicates.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import { OPEN_STATUSES } from "../reports/status.js";
import type { Router } from "../routing/route.js";
import { ownPointHidden, renderReportCard } from "./card.js";
import type { OfficeClock } from "./clock.js";
import { classifyDeliveryError } from "./errors.js";
import type { DeliveryButton, DeliveryContext, DeliveryTransport, OutgoingFile } from "./transport.js";

/** How hard the worker tries before falling back along the routing chain. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 2_000, maxDelayMs: 10 * 60_000 };

/** What the worker needs. */
export interface DeliveryWorkerDeps {
  db: Database;
  router: Router;
  store: EvidenceStore;
  registry: FlowRegistry;
  locales: LocaleBundle;
  transports: Partial<Record<string, DeliveryTransport>>;
  /** Signs the officer buttons put on report cards; without it cards have no buttons. */
  actions?: OfficerActions;
  /** Reminders, escalation and digests, checked once a minute while polling. */
  clock?: OfficeClock;
  logger: Logger;
  retry?: RetryPolicy;
  now?: () => Date;
  /** How long a claimed job stays locked to this worker. */
  lockMs?: number;
  /**
   * Adds machine-read notes (LLM summary, image descriptions) to a report before its card is
   * rendered, cached in the database (see `src/ai/card-notes.ts`). Must not reject.
   */
  cardNotes?: (report: Report, evidence: Evidence[]) => Promise<{ report: Report; evidence: Evidence[] }>;
}

type Part =
  | { kind: "text"; text: string; buttons?: DeliveryButton[] }
  | { kind: "files"; files: OutgoingFile[] }
  | { kind: "location"; lat: number; lon: number };

/**
 * The outbox worker: claims due jobs (`FOR UPDATE SKIP LOCKED`, so several workers can run), sends
 * each report to its destination part by part (card, evidence albums, location), recording
 * progress after each part so a restart resumes where it stopped. Retryable failures wait with
 * exponential backoff (or the platform's `retry_after`); permanent ones, or an exhausted retry
 * budget, mark the job failed and send the report up the routing chain.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly retry: RetryPolicy;
  private readonly now: () => Date;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY;
    this.now = deps.now ?? (() => new Date());
  }

  /** Polls every `intervalMs` until {@link stop}. */
  start(intervalMs = 500): void {
    let lastClock = 0;
    const tick = () => {
      const clockDue = Date.now() - lastClock >= 60_000;
      if (clockDue) lastClock = Date.now();
      this.running = (
        clockDue
          ? this.runClock().catch((e: unknown) => this.deps.logger.error({ err: e }, "office clock failed"))
          : Promise.resolve(0)
      )
        .then(() => this.runOnce())
        .then(() => undefined)
        .catch((e: unknown) => this.deps.logger.error({ err: e }, "delivery tick failed"))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling and waits for the jobs in hand. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Claims and runs the jobs due now; resolves to how many were handled. */
  async runOnce(limit = 20): Promise<number> {
    const jobs = await this.claim(limit);
    await Promise.all(jobs.map((j) => this.run(j)));
    return jobs.length;
  }

  /** Runs until no job is due (tests, benchmarks). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0) {}
  }

  private async claim(limit: number): Promise<OutboxJob[]> {
    const now = this.now();
    const until = new Date(now.getTime() + (this.deps.lockMs ?? 120_000));
    return this.deps.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.status, "pending"),
            lte(outbox.nextAttemptAt, now),
            sql`(${outbox.lockedUntil} is null or ${outbox.lockedUntil} < ${now.toISOString()}::timestamptz)`,
          ),
        )
        .orderBy(asc(outbox.id))
        .limit(limit)
        .for("update", { skipLocked: true });
      if (!due.length) return [];
      return tx
        .update(outbox)
        .set({ lockedUntil: until, attempts: sql`${outbox.attempts} + 1` })
        .where(
          inArray(
            outbox.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
    });
  }

  private async run(job: OutboxJob): Promise<void> {
    const log = this.deps.logger.child({ job: job.id, kind: job.kind, channel: job.channel });
    const transport = this.deps.transports[job.channel];
    try {
      if (!transport) throw classifyDeliveryError(new Error(`no transport for channel ${job.channel}`));
      if (job.reportId === null && job.kind !== "digest") throw new Error(`job ${job.id} has no report`);
      const { parts, number, address } =
        job.kind === "notify_contact"
          ? await this.notifyParts(job)
          : job.kind === "relay_to_office"
            ? { ...(await this.relayParts(job)), address: job.address }
            : job.kind === "reminder" || job.kind === "digest"
              ? { ...(await this.clockParts(job)), address: job.address }
              : { ...(await this.reportParts(job)), address: job.address };
      for (let i = job.progress; i < parts.length; i++) {
        const part = parts[i]!;
        const ctx: DeliveryContext = {
          jobId: job.id,
          reportId: job.reportId,
          reportNumber: number,
          officeCode: job.officeCode,
          part: i,
        };
        if (part.kind === "text") await transport.sendText(address, part.text, ctx, part.buttons);
        else if (part.kind === "files") await transport.sendFiles(address, part.files, ctx);
        else await transport.sendLocation(address, part.lat, part.lon, ctx);
        await this.deps.db
          .update(outbox)
          .set({ progress: i + 1 })
          .where(eq(outbox.id, job.id));
      }
      await this.succeeded(job, job.kind === "notify_contact" ? parts : undefined);
      log.info({ report: number, parts: parts.length }, "report delivered");
    } catch (e) {
      const err = classifyDeliveryError(e);
      const exhausted = job.attempts >= this.retry.maxAttempts;
      if (err.retryable && !exhausted) {
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (job.attempts - 1));
        const wait = Math.max(err.retryAfterMs ?? 0, backoff);
        await this.deps.db
          .update(outbox)
          .set({
            nextAttemptAt: new Date(this.now().getTime() + wait),
            lockedUntil: null,
            lastError: err.message,
          })
          .where(eq(outbox.id, job.id));
        log.warn({ err: err.message, waitMs: wait, attempt: job.attempts }, "delivery failed, will retry");
      } else {
        log.error({ err: err.message, attempt: job.attempts }, "delivery failed for good; falling back");
        await this.failed(job, err.message);
      }
    }
  }

  /** The parts of a report delivery, in order. */
  private async reportParts(job: OutboxJob): Promise<{ parts: Part[]; number: string }> {
    const { db, registry, locales, store } = this.deps;
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
    const { report, evidence: ev } = this.deps.cardNotes
      ? await this.deps.cardNotes(stored, storedEvidence)
      : { report: stored, evidence: storedEvidence };
    const step = report.route[(job.payload as { stepIndex?: number }).stepIndex ?? 0];
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
        officeName: office[0]?.name ?? "Admin",
        reason: step?.reason ?? "",
      },
      registry,
      locales,
      "id",
    );
    const buttons =
      this.deps.actions && job.officeCode
        ? this.deps.actions.cardButtons(report.id, job.officeCode).map((b) => ({
            label: t(locales, "id", `officer.buttons.${b.action.replace(":", "_")}` as TextKey),
            data: b.data,
          }))
        : undefined;
    const parts: Part[] = [{ kind: "text", text: card, ...(buttons ? { buttons } : {}) }];
    const files = ev.filter((e) => e.kind !== "link" && e.storageKey);
    const groups = new Map<string, typeof files>();
    for (const f of files) {
      const group = f.kind === "audio" ? "audio" : "files";
      groups.set(group, [...(groups.get(group) ?? []), f]);
    }
    for (const list of groups.values()) {
      for (let i = 0; i < list.length; i += 10) {
        const chunk = list.slice(i, i + 10);
        const loaded = await Promise.all(
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
  }

  /** A reminder about one unacknowledged report, or an office's daily digest of open reports. */
  private async clockParts(job: OutboxJob): Promise<{ parts: Part[]; number: string }> {
    const { db, locales } = this.deps;
    if (job.kind === "reminder") {
      const [r] = await db
        .select({ number: reports.number })
        .from(reports)
        .where(eq(reports.id, job.reportId!));
      const hours = String((job.payload as { hours?: number }).hours ?? "");
      const text = t(locales, "id", "card.reminder", { number: r?.number ?? "", hours });
      return { parts: [{ kind: "text", text }], number: r?.number ?? "" };
    }
    const now = this.now();
    const open = await db
      .select()
      .from(reports)
      .where(and(eq(reports.officeCode, job.officeCode!), inArray(reports.status, [...OPEN_STATUSES])))
      .orderBy(asc(reports.createdAt))
      .limit(100);
    const [office] = await db
      .select({ name: offices.name })
      .from(offices)
      .where(eq(offices.code, job.officeCode!));
    const lines = open.map((r) => {
      const days = Math.floor((now.getTime() - r.createdAt.getTime()) / 86_400_000);
      const hours = Math.floor((now.getTime() - r.createdAt.getTime()) / 3_600_000);
      return `• ${r.number} · ${t(locales, "id", `officer_status.${r.status}` as TextKey)} · ${days >= 2 ? `${days} hari` : `${hours} jam`}`;
    });
    const day = String((job.payload as { day?: string }).day ?? "");
    const title = t(locales, "id", "card.digest_title", {
      office: office?.name ?? "",
      date: day,
      count: open.length,
    });
    return { parts: [{ kind: "text", text: [title, ...lines].join("\n") }], number: "" };
  }

  /** Office clocks (reminders, escalation, daily digest), due at the worker's `now`. */
  async runClock(): Promise<number> {
    return this.deps.clock ? this.deps.clock.tick(this.now()) : 0;
  }

  /** A reporter's answer for the office that asked: a header with the report number, then the text, files or location. */
  private async relayParts(job: OutboxJob): Promise<{ parts: Part[]; number: string }> {
    const { db, locales, store } = this.deps;
    const [report] = await db
      .select({ number: reports.number, track: reports.track })
      .from(reports)
      .where(eq(reports.id, job.reportId!));
    if (!report) throw new Error(`report ${job.reportId} is gone`);
    const p = job.payload as {
      text?: string;
      items?: {
        ref: string;
        kind: OutgoingFile["kind"];
        mime: string;
        sha256: string;
        fileName?: string;
        caption?: string;
      }[];
      lat?: number;
      lon?: number;
    };
    const vars = { number: report.number };
    if (p.lat !== undefined && p.lon !== undefined) {
      return {
        parts: [
          { kind: "text", text: t(locales, "id", "card.relay_location", vars) },
          { kind: "location", lat: p.lat, lon: p.lon },
        ],
        number: report.number,
      };
    }
    const header = t(locales, "id", "card.relay", vars);
    if (p.text !== undefined)
      return { parts: [{ kind: "text", text: `${header}\n${p.text}` }], number: report.number };
    const items = p.items ?? [];
    const files = await Promise.all(
      items.map(async (f, i) => ({
        bytes: await store.read(f.ref),
        kind: f.kind,
        mime: f.mime,
        fileName:
          report.track === "tip" || !f.fileName
            ? `${report.number}-balasan-${i + 1}.${extensionOf(f.mime)}`
            : f.fileName,
        caption: `${report.number}${f.caption ? ` · «${f.caption}»` : ""} · SHA-256 ${f.sha256}`,
      })),
    );
    // The reporter's words sent with the files (captions) follow the header, so it is never empty.
    const captions = items.flatMap((f) =>
      f.caption ? [t(locales, "id", "card.relay_caption", { caption: f.caption })] : [],
    );
    return {
      parts: [
        { kind: "text", text: [header, ...captions].join("\n") },
        { kind: "files", files },
      ],
      number: report.number,
    };
  }

  /** A reporter's update: one text in the report's language, to the contact's own chat. */
  private async notifyParts(job: OutboxJob): Promise<{ parts: Part[]; number: string; address: string }> {
    const { db, locales } = this.deps;
    const [row] = await db
      .select({ report: reports, contact: contacts, officeName: offices.name })
      .from(reports)
      .innerJoin(contacts, eq(contacts.id, reports.contactId))
      .leftJoin(offices, eq(offices.code, reports.officeCode))
      .where(eq(reports.id, job.reportId!));
    if (!row) throw new Error(`report ${job.reportId} is gone`);
    const p = job.payload as {
      status?: string;
      detail?: string | null;
      template?: string;
      question?: string;
      reason?: string | null;
    };
    const key = (
      p.template ? `notify.${p.template}` : `notify.${p.status}${p.detail ? `_${p.detail}` : ""}`
    ) as TextKey;
    const text = t(locales, row.report.lang, key, {
      office: row.officeName ?? "Bawaslu",
      number: row.report.number,
      question: p.question ?? "",
      reason: p.reason ?? "",
    });
    return { parts: [{ kind: "text", text }], number: row.report.number, address: row.contact.externalId };
  }

  /**
   * Marks a job done. A reporter's update keeps the text it was sent with (`payload.sent`), so the
   * web simulator can show it and admins can see what the reporter was told.
   */
  private async succeeded(job: OutboxJob, sentParts?: Part[]): Promise<void> {
    if (job.kind !== "deliver_report") {
      const sent = sentParts?.flatMap((p) => (p.kind === "text" ? [p.text] : [])).join("\n");
      await this.deps.db
        .update(outbox)
        .set({
          status: "done",
          doneAt: this.now(),
          lockedUntil: null,
          lastError: null,
          ...(sent ? { payload: { ...job.payload, sent } } : {}),
        })
        .where(eq(outbox.id, job.id));
      return;
    }
    const now = this.now();
    await this.deps.db.transaction(async (tx) => {
      await tx
        .update(outbox)
        .set({ status: "done", doneAt: now, lockedUntil: null, lastError: null })
        .where(eq(outbox.id, job.id));
      const [r] = await tx
        .update(reports)
        .set({ status: "delivered" })
        .where(and(eq(reports.id, job.reportId!), inArray(reports.status, ["received", "forwarded"])))
        .returning({ id: reports.id });
      await tx.insert(reportEvents).values({
        reportId: job.reportId!,
        at: now,
        actor: "system:delivery",
        type: "delivered",
        ...(r ? { toStatus: "delivered" } : {}),
        details: { channel: job.channel, officeCode: job.officeCode },
      });
    });
  }

  /**
   * Marks a job failed; when no other destination of the same office got (or may still get) the
   * report, queues it for the next usable office of its route, so it is never dropped.
   */
  private async failed(job: OutboxJob, error: string): Promise<void> {
    const now = this.now();
    const stepIndex = (job.payload as { stepIndex?: number }).stepIndex ?? 0;
    await this.deps.db.transaction(async (tx) => {
      await tx
        .update(outbox)
        .set({ status: "failed", lockedUntil: null, lastError: error })
        .where(eq(outbox.id, job.id));
      await tx.insert(reportEvents).values({
        reportId: job.reportId!,
        at: now,
        actor: "system:delivery",
        type: "delivery_failed",
        reason: error,
        details: { channel: job.channel, officeCode: job.officeCode },
      });
      const siblings = await tx
        .select({ status: outbox.status, payload: outbox.payload })
        .from(outbox)
        .where(and(eq(outbox.reportId, job.reportId!), eq(outbox.kind, "deliver_report")));
      if (job.kind !== "deliver_report") return; // only a report's delivery falls back to other offices
      const sameStep = siblings.filter(
        (s) => ((s.payload as { stepIndex?: number }).stepIndex ?? 0) === stepIndex,
      );
      if (sameStep.some((s) => s.status !== "failed")) return;
      const [report] = await tx.select().from(reports).where(eq(reports.id, job.reportId!));
      if (!report) return;
      const route = await this.deps.router.forRegion(report.regionCode, tx);
      const next = route.steps.findIndex((s, i) => i > stepIndex && s.usable);
      if (next < 0) return;
      const step = route.steps[next]!;
      await tx
        .insert(outbox)
        .values(
          step.destinations.map((d) => ({
            kind: "deliver_report" as const,
            dedupeKey: `deliver:${report.id}:${next}:${d.channel}:${d.address}`,
            reportId: report.id,
            channel: d.channel,
            address: d.address,
            officeCode: step.officeCode,
            payload: { stepIndex: next },
            nextAttemptAt: now,
          })),
        )
        .onConflictDoNothing();
      await tx.update(reports).set({ officeCode: step.officeCode }).where(eq(reports.id, report.id));
      await tx.insert(reportEvents).values({
        reportId: report.id,
        at: now,
        actor: "system:delivery",
        type: "escalated",
        reason: step.reason,
        details: { from: job.officeCode, to: step.officeCode },
      });
    });
  }
}

function extensionOf(mime: string | null): string {
  const m = (mime ?? "").split("/")[1] ?? "bin";
  return (
    { jpeg: "jpg", "svg+xml": "svg", quicktime: "mov", plain: "txt" }[m] ??
    m.replace(/[^a-z0-9]/g, "").slice(0, 5) ??
    "bin"
  );
}
