import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { type Evidence, type OutboxJob, outbox, type Report, type SentPart } from "../db/schema/index.js";
import type { FlowRegistry } from "../engine/flow-schema.js";
import type { LocaleBundle } from "../engine/locale.js";
import type { Logger } from "../log.js";
import type { EvidenceStore } from "../reports/evidence-store.js";
import type { Router } from "../routing/route.js";
import type { OfficeClock } from "./clock.js";
import { classifySendFailure, SendFailure } from "./failure.js";
import { type CardButtonSigner, JOB_SPECS, type Job, type JobEnv, type Part } from "./jobs/index.js";
import type { DeliveryContext, DeliveryTransport } from "./transport.js";

/** How hard the worker tries before falling back along the routing chain. */
export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 2_000, maxDelayMs: 10 * 60_000 };

/** How long a claimed job stays with its worker without a heartbeat (renewed every third of it while sending). */
export const DEFAULT_LEASE_MS = 20_000;

/** What the worker needs. */
export interface DeliveryWorkerDeps {
  db: Database;
  router: Router;
  store: EvidenceStore;
  registry: FlowRegistry;
  locales: LocaleBundle;
  transports: Partial<Record<string, DeliveryTransport>>;
  /** Signs the officer buttons put on report cards; without it cards have no buttons. */
  actions?: CardButtonSigner;
  /** Reminders, escalation and digests, checked once a minute while polling. */
  clock?: OfficeClock;
  logger: Logger;
  retry?: RetryPolicy;
  now?: () => Date;
  /** The lease of a claimed job: another worker may take it over when it is not renewed for this long. */
  lockMs?: number;
  /** How many jobs run at once (each to a different destination). */
  concurrency?: number;
  /**
   * Adds machine-read notes (LLM summary, image descriptions) to a report before its card is
   * rendered, cached in the database (see `src/ai/card-notes.ts`). Must not reject.
   */
  cardNotes?: (report: Report, evidence: Evidence[]) => Promise<{ report: Report; evidence: Evidence[] }>;
  /** Where a webhook receiver fetches an evidence file; null (or absent) when there is no public address. */
  evidenceUrl?: (e: Evidence) => string | null;
  /** Runs `fn` every `ms` until the returned function is called (tests: a dead process's timers never fire). */
  every?: (fn: () => void, ms: number) => () => void;
}

/** `setInterval` that does not keep the process alive. */
function every(fn: () => void, ms: number): () => void {
  const timer = setInterval(fn, ms);
  timer.unref?.();
  return () => clearInterval(timer);
}

/** The job's lease was taken over by another worker (it died for us): stop without touching the job. */
class LeaseLost extends Error {}

/**
 * The outbox worker: claims due jobs (`FOR UPDATE SKIP LOCKED`, so several workers can run; at most
 * one job per destination at a time, so one chat's wait never holds up another), runs each
 * through its job spec (`jobs/`), part by part, recording which parts went (`progress`,
 * `sent_parts`), so a retry, or another worker after a crash, sends only the missing parts. A claim
 * is a short lease renewed while sending (heartbeat): a dead worker's jobs are taken over within
 * the lease. Failures are classified once (`SendFailure`): `retry_after` waits exactly what the
 * platform asked (without using up an attempt), `retry_later` backs off exponentially, `gone`, a
 * refused message or an exhausted budget fail the job and its spec decides what follows (a report
 * moves to the next office of its route).
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retry: RetryPolicy;
  private readonly now: () => Date;
  private readonly lockMs: number;
  private readonly env: JobEnv;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.retry = deps.retry ?? DEFAULT_RETRY;
    this.now = deps.now ?? (() => new Date());
    this.lockMs = deps.lockMs ?? DEFAULT_LEASE_MS;
    this.env = {
      db: deps.db,
      router: deps.router,
      store: deps.store,
      registry: deps.registry,
      locales: deps.locales,
      logger: deps.logger,
      now: this.now,
      actions: deps.actions,
      cardNotes: deps.cardNotes,
      evidenceUrl: deps.evidenceUrl,
    };
  }

  /**
   * Polls every `intervalMs` until {@link stop}. Jobs run in the background: a tick claims what is
   * due for destinations not busy now and does not wait for the jobs it started.
   */
  start(intervalMs = 500): void {
    let lastClock = 0;
    const concurrency = this.deps.concurrency ?? 20;
    const tick = async () => {
      if (Date.now() - lastClock >= 60_000) {
        lastClock = Date.now();
        await this.runClock().catch((e: unknown) =>
          this.deps.logger.error({ err: e }, "office clock failed"),
        );
      }
      const free = concurrency - this.inFlight.size;
      if (free > 0) {
        const jobs = await this.claim(free);
        for (const j of jobs) this.track(this.run(j.job, j.token));
      }
    };
    const loop = () => {
      this.ticking = tick()
        .catch((e: unknown) => this.deps.logger.error({ err: e }, "delivery tick failed"))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(loop, intervalMs);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Stops polling and waits for the jobs in hand. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await Promise.all([...this.inFlight]);
  }

  /** Claims and runs the jobs due now, waiting for them; resolves to how many were handled. */
  async runOnce(limit = 20): Promise<number> {
    const jobs = await this.claim(limit);
    await Promise.all(jobs.map((j) => this.run(j.job, j.token)));
    return jobs.length;
  }

  /** Runs until no job is due (tests, benchmarks). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0) {}
  }

  /**
   * Claims up to `limit` due jobs, at most one per destination, skipping destinations whose job
   * another worker holds under a live lease (so parts and jobs of one chat stay in order).
   */
  private async claim(limit: number): Promise<{ job: OutboxJob; token: string }[]> {
    const now = this.now();
    const at = sql`${now.toISOString()}::timestamptz`;
    const token = randomUUID();
    const until = new Date(now.getTime() + this.lockMs);
    return this.deps.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: outbox.id, channel: outbox.channel, address: outbox.address })
        .from(outbox)
        .where(
          and(
            eq(outbox.status, "pending"),
            lte(outbox.nextAttemptAt, now),
            sql`(${outbox.lockedUntil} is null or ${outbox.lockedUntil} < ${at})`,
            sql`not exists (select 1 from ${outbox} as busy where busy.channel = ${outbox.channel}
              and busy.address = ${outbox.address} and busy.status = 'pending'
              and busy.locked_until >= ${at} and busy.id <> ${outbox.id})`,
          ),
        )
        .orderBy(asc(outbox.id))
        .limit(limit * 4)
        .for("update", { skipLocked: true });
      const seen = new Set<string>();
      const ids: number[] = [];
      for (const d of due) {
        const key = `${d.channel}\u0000${d.address}`;
        if (seen.has(key) || ids.length >= limit) continue;
        seen.add(key);
        ids.push(d.id);
      }
      if (!ids.length) return [];
      const rows = await tx
        .update(outbox)
        .set({ lockedUntil: until, lockedBy: token, attempts: sql`${outbox.attempts} + 1` })
        .where(inArray(outbox.id, ids))
        .returning();
      return rows.map((job) => ({ job, token }));
    });
  }

  /** Renews the lease while the job runs; marks it lost when another worker took the job over. */
  private heartbeat(job: OutboxJob, token: string): { stop(): void; readonly lost: boolean } {
    const state = { lost: false };
    const stop = (this.deps.every ?? every)(
      () => {
        this.deps.db
          .update(outbox)
          .set({ lockedUntil: new Date(this.now().getTime() + this.lockMs) })
          .where(and(eq(outbox.id, job.id), eq(outbox.lockedBy, token), eq(outbox.status, "pending")))
          .returning({ id: outbox.id })
          .then((rows) => {
            if (!rows.length) state.lost = true;
          })
          .catch((e: unknown) => this.deps.logger.warn({ err: e, job: job.id }, "lease renewal failed"));
      },
      Math.max(50, Math.floor(this.lockMs / 3)),
    );
    return {
      stop,
      get lost() {
        return state.lost;
      },
    };
  }

  /** Updates the job only while this claim holds it; throws {@link LeaseLost} otherwise. */
  private async holding(job: OutboxJob, token: string, set: Partial<Record<keyof OutboxJob, unknown>>) {
    const rows = await this.deps.db
      .update(outbox)
      .set(set as never)
      .where(and(eq(outbox.id, job.id), eq(outbox.lockedBy, token), eq(outbox.status, "pending")))
      .returning({ id: outbox.id });
    if (!rows.length) throw new LeaseLost(`job ${job.id} was taken over`);
  }

  private async run(job: OutboxJob, token: string): Promise<void> {
    const log = this.deps.logger.child({ job: job.id, kind: job.kind, channel: job.channel });
    const spec = JOB_SPECS[job.kind];
    const transport = this.deps.transports[job.channel];
    const beat = this.heartbeat(job, token);
    let typed: Job<unknown> | undefined;
    try {
      if (!transport)
        throw new SendFailure("gone", "internal", `no transport for channel ${job.channel}`, {
          code: "no_transport",
        });
      try {
        typed = { ...job, payload: spec.payload(job.payload) };
      } catch (e) {
        throw new SendFailure(
          "refused",
          "internal",
          `bad ${job.kind} payload: ${(e as Error).message}`.slice(0, 300),
          {
            bug: true,
            cause: e,
          },
        );
      }
      const built = await spec.build(typed, this.env, transport);
      const address = built.address ?? job.address;
      const inDoubt = job.partInFlight !== null && job.partInFlight === job.progress;
      if (inDoubt)
        log.warn({ part: job.progress }, "part was being sent when its worker stopped; it may arrive twice");
      for (let i = job.progress; i < built.parts.length; i++) {
        if (beat.lost) throw new LeaseLost(`job ${job.id} was taken over`);
        const part = built.parts[i]!;
        await this.holding(job, token, { partInFlight: i });
        const ctx: DeliveryContext = {
          jobId: job.id,
          kind: job.kind,
          reportId: job.reportId,
          reportNumber: built.number,
          officeCode: job.officeCode,
          part: i,
        };
        await sendPart(transport, address, part, ctx);
        const sent: SentPart = {
          part: i,
          kind: part.kind,
          at: this.now().toISOString(),
          ...(inDoubt && i === job.progress ? { resent: true } : {}),
        };
        await this.holding(job, token, {
          progress: i + 1,
          partInFlight: null,
          sentParts: sql`${outbox.sentParts} || ${JSON.stringify([sent])}::jsonb`,
        });
      }
      await this.deps.db.transaction(async (tx) => {
        const keep = spec.succeeded ? await spec.succeeded(tx, typed!, this.env, built.parts) : undefined;
        const [done] = await tx
          .update(outbox)
          .set({
            status: "done",
            doneAt: this.now(),
            lockedUntil: null,
            lockedBy: null,
            lastError: null,
            ...(keep !== undefined ? { payload: keep as Record<string, unknown> } : {}),
          })
          .where(and(eq(outbox.id, job.id), eq(outbox.lockedBy, token)))
          .returning({ id: outbox.id });
        if (!done) throw new LeaseLost(`job ${job.id} was taken over`);
      });
      log.info({ report: built.number, parts: built.parts.length }, "delivered");
    } catch (e) {
      if (e instanceof LeaseLost) {
        log.warn("job taken over by another worker; stopping here");
        return;
      }
      await this.failure(
        job,
        token,
        typed,
        transport ? transport.classify(e) : classifySendFailure(job.channel, e),
        log,
      );
    } finally {
      beat.stop();
    }
  }

  /** Retries (waiting as the platform asked, or with backoff) or fails the job for good. */
  private async failure(
    job: OutboxJob,
    token: string,
    typed: Job<unknown> | undefined,
    failure: SendFailure,
    log: Logger,
  ): Promise<void> {
    const exhausted = job.attempts >= this.retry.maxAttempts;
    const error = failure.describe();
    if (failure.kind === "retry_after" || (failure.kind === "retry_later" && !exhausted)) {
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (job.attempts - 1));
      const wait = failure.kind === "retry_after" ? failure.retryAfterMs! : backoff;
      await this.deps.db
        .update(outbox)
        .set({
          nextAttemptAt: new Date(this.now().getTime() + wait),
          lockedUntil: null,
          lockedBy: null,
          partInFlight: null,
          lastError: error,
          // The platform only asked to wait: that does not use up an attempt.
          ...(failure.kind === "retry_after" ? { attempts: sql`greatest(${outbox.attempts} - 1, 0)` } : {}),
        })
        .where(and(eq(outbox.id, job.id), eq(outbox.lockedBy, token)));
      log.warn(
        { err: error, waitMs: wait, attempt: job.attempts, failure: failure.kind },
        "send failed, will retry",
      );
      return;
    }
    if (failure.kind === "refused" && failure.bug)
      log.error(
        { err: error, attempt: job.attempts },
        "the platform refused a message the product built: a bug",
      );
    else log.error({ err: error, attempt: job.attempts, failure: failure.kind }, "delivery failed for good");
    const spec = JOB_SPECS[job.kind];
    await this.deps.db.transaction(async (tx) => {
      const [failed] = await tx
        .update(outbox)
        .set({ status: "failed", lockedUntil: null, lockedBy: null, partInFlight: null, lastError: error })
        .where(and(eq(outbox.id, job.id), eq(outbox.lockedBy, token)))
        .returning({ id: outbox.id });
      if (!failed) return;
      if (spec.failedForGood && job.reportId !== null)
        await spec.failedForGood(
          tx,
          typed ?? { ...job, payload: safePayload(spec, job.payload) },
          this.env,
          failure,
        );
    });
  }

  /** Office clocks (reminders, escalation, daily digest), due at the worker's `now`. */
  async runClock(): Promise<number> {
    return this.deps.clock ? this.deps.clock.tick(this.now()) : 0;
  }
}

/** A payload that failed to read gets the kind's defaults, so its failure can still be handled. */
function safePayload(spec: (typeof JOB_SPECS)[keyof typeof JOB_SPECS], raw: unknown): unknown {
  try {
    return spec.payload(raw);
  } catch {
    return spec.payload({});
  }
}

/** Sends one part through the transport. */
async function sendPart(
  t: DeliveryTransport,
  address: string,
  part: Part,
  ctx: DeliveryContext,
): Promise<void> {
  if (part.kind === "text") await t.sendText(address, part.text, ctx, part.buttons);
  else if (part.kind === "files") await t.sendFiles(address, part.files, ctx);
  else if (part.kind === "location") await t.sendLocation(address, part.lat, part.lon, ctx);
  else if (t.sendReport) await t.sendReport(address, part.report, ctx);
  else
    throw new SendFailure("refused", "internal", "this transport cannot send a report document", {
      bug: true,
    });
}
