/**
 * The broadcast sender loop: one loop per channel claims a page of delivery rows, sends each through
 * the channel's {@link BroadcastSender} at the pace its {@link RateLimiter} allows, and records the
 * outcomes of the page in one transaction (sent, failed or blocked, with the error class; a blocked
 * contact's subscription is closed in the same transaction).
 *
 * At most once, precisely: a claimed row is `sending` in the database BEFORE its message goes out,
 * and only `pending` rows are ever claimed. If the process dies mid-page, its rows stay `sending`:
 * some of them went out, some did not, and nobody can tell which. They are never sent again; after
 * the claim lease they are marked `interrupted` ({@link sweepInterrupted}) and counted in the report.
 * Better to miss one reminder than to send one twice. The window is one page: pages hold about one
 * second of sending (the channel's rate), so little is at stake.
 *
 * Claims use `FOR UPDATE SKIP LOCKED`, so several processes can send the same run without
 * overlapping. Paused or cancelled broadcasts are not claimed (a page already claimed is finished).
 * Retries happen inside the page, only when they can help: a 429 pauses the whole channel for its
 * `retry_after` and the row is sent again after it; server and network errors are tried up to
 * `maxAttempts` times with a growing delay; everything else is final.
 */
import { sql } from "drizzle-orm";
import { type Database, rowsOf } from "../db/client.js";
import { type LocaleBundle, t } from "../engine/locale.js";
import type { Lang } from "../engine/types.js";
import type { Logger } from "../log.js";
import { type BroadcastFailure, classifyBroadcastFailure, type FailureClassifier } from "./failures.js";
import type { RateLimiter } from "./rate-limiter.js";
import type { BroadcastMessage, BroadcastSender } from "./sender.js";

/** What the dispatcher needs. */
export interface DispatcherOptions {
  db: Database;
  senders: readonly BroadcastSender[];
  /** One limiter per channel (shared with the channel's replies where it has the hook). */
  limiters: Readonly<Record<string, RateLimiter>>;
  locales: LocaleBundle;
  logger: Logger;
  /** Channel-specific failure classifiers, tried before the built-in ones. */
  classifiers?: readonly FailureClassifier[];
  /** Rows claimed at once; default: about one second of the channel's rate (10…500). */
  pageSize?: number;
  /** Tries per row for server and network errors (default 3). */
  maxAttempts?: number;
  /** First retry delay for server and network errors, doubled each time (default 1000 ms). */
  retryDelayMs?: number;
  /** Idle poll interval (default 1000 ms). */
  pollMs?: number;
  now?: () => Date;
}

interface ClaimedRow {
  id: number;
  run_id: number;
  address: string;
  lang: Lang;
  subscriber_id: number | null;
}

interface Outcome {
  id: number;
  status: "sent" | "failed" | "blocked";
  error_class: string | null;
  error: string | null;
  subscriber_id: number | null;
}

interface Content {
  text: Record<Lang, string>;
  imagePath: string | null;
}

/** What one page did. */
export interface PageResult {
  claimed: number;
  sent: number;
  failed: number;
  blocked: number;
}

/**
 * Marks rows still `sending` after the lease as `interrupted` (their sender died). They are never
 * sent again. Resolves to how many were marked.
 */
export async function sweepInterrupted(db: Database, now: Date, leaseMs: number): Promise<number> {
  const before = new Date(now.getTime() - leaseMs).toISOString();
  const result = await db.execute(sql`with m as (update broadcast_deliveries set status = 'interrupted',
      error_class = 'interrupted', error = 'sender stopped before recording the outcome; not resent (at most once)',
      done_at = ${now.toISOString()}::timestamptz
      where status = 'sending' and claimed_at < ${before}::timestamptz returning run_id)
    select count(*)::int as n from m`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** See the module comment. */
export class BroadcastDispatcher {
  private readonly contents = new Map<number, Content>();
  private readonly loops = new Map<string, Promise<void>>();
  private running = false;
  private wakeUp: (() => void) | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The channels this dispatcher sends on. */
  get channels(): string[] {
    return this.options.senders.map((s) => s.channel);
  }

  /** Starts one loop per channel. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const sender of this.options.senders) this.loops.set(sender.channel, this.loop(sender));
  }

  /** Stops after the pages in progress are recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops.values());
    this.loops.clear();
  }

  /** Makes idle loops look for work now (a run was just created). */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  /** Sends pages on every channel until nothing is claimable; for tests and the admin CLI. */
  async drain(): Promise<PageResult> {
    const total: PageResult = { claimed: 0, sent: 0, failed: 0, blocked: 0 };
    await Promise.all(
      this.options.senders.map(async (sender) => {
        for (;;) {
          const r = await this.page(sender);
          total.claimed += r.claimed;
          total.sent += r.sent;
          total.failed += r.failed;
          total.blocked += r.blocked;
          if (r.claimed === 0) return;
        }
      }),
    );
    return total;
  }

  private async loop(sender: BroadcastSender): Promise<void> {
    const log = this.options.logger;
    while (this.running) {
      let claimed = 0;
      try {
        claimed = (await this.page(sender)).claimed;
      } catch (e) {
        log.error({ err: e, channel: sender.channel }, "broadcast page failed");
      }
      if (claimed === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 1000);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private pageSizeFor(channel: string): number {
    if (this.options.pageSize) return this.options.pageSize;
    const rate = this.options.limiters[channel]?.settings.perSecond ?? 100;
    return Math.max(10, Math.min(500, Number.isFinite(rate) ? Math.ceil(rate) : 500));
  }

  /** Claims one page of the channel's rows (of one run only, if given), sends it and records the outcomes. */
  async page(sender: BroadcastSender, only?: { runId: number }): Promise<PageResult> {
    const { db, logger } = this.options;
    const now = this.now().toISOString();
    const rows = rowsOf<ClaimedRow>(
      await db.execute(sql`update broadcast_deliveries d set status = 'sending', claimed_at = ${now}::timestamptz,
          attempts = d.attempts + 1
        where d.id in (select d2.id from broadcast_deliveries d2
          join broadcast_runs r on r.id = d2.run_id join broadcasts b on b.id = r.broadcast_id
          where d2.status = 'pending' and d2.channel = ${sender.channel} and r.status = 'sending'
            ${only ? sql`and d2.run_id = ${only.runId}` : sql``}
            and (b.status = 'active' or (r.preview and b.status <> 'cancelled'))
          order by d2.id limit ${this.pageSizeFor(sender.channel)} for update of d2 skip locked)
        returning d.id, d.run_id, d.address, d.lang, d.subscriber_id`),
    ).map((r) => ({
      ...r,
      id: Number(r.id),
      run_id: Number(r.run_id),
      subscriber_id: r.subscriber_id === null ? null : Number(r.subscriber_id),
    }));
    if (rows.length === 0) return { claimed: 0, sent: 0, failed: 0, blocked: 0 };
    await this.loadContents(rows);
    const outcomes = await Promise.all(rows.map((row) => this.deliver(sender, row)));
    await this.record(outcomes, [...new Set(rows.map((r) => r.run_id))]);
    const result = {
      claimed: rows.length,
      sent: outcomes.filter((o) => o.status === "sent").length,
      failed: outcomes.filter((o) => o.status === "failed").length,
      blocked: outcomes.filter((o) => o.status === "blocked").length,
    };
    logger.debug({ channel: sender.channel, ...result }, "broadcast page sent");
    return result;
  }

  private async loadContents(rows: ClaimedRow[]): Promise<void> {
    const missing = [...new Set(rows.map((r) => r.run_id))].filter((id) => !this.contents.has(id));
    if (missing.length === 0) return;
    const found = rowsOf<{ id: number; text_id: string; text_en: string; image_path: string | null }>(
      await this.options.db.execute(sql`select r.id, b.text_id, b.text_en, b.image_path
        from broadcast_runs r join broadcasts b on b.id = r.broadcast_id
        where r.id in (select jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb)::bigint)`),
    );
    if (this.contents.size > 1000) this.contents.clear();
    for (const r of found)
      this.contents.set(Number(r.id), { text: { id: r.text_id, en: r.text_en }, imagePath: r.image_path });
  }

  private messageFor(row: ClaimedRow): BroadcastMessage {
    const content = this.contents.get(row.run_id)!;
    const lang: Lang = row.lang === "en" ? "en" : "id";
    const footer =
      row.subscriber_id !== null ? `\n\n${t(this.options.locales, lang, "broadcast.footer")}` : "";
    return {
      text: `${content.text[lang]}${footer}`,
      lang,
      ...(content.imagePath ? { imagePath: content.imagePath } : {}),
    };
  }

  private async deliver(sender: BroadcastSender, row: ClaimedRow): Promise<Outcome> {
    const limiter = this.options.limiters[sender.channel];
    const message = this.messageFor(row);
    const maxAttempts = this.options.maxAttempts ?? 3;
    let failure: BroadcastFailure | undefined;
    for (let attempt = 1, limited = 0; ; ) {
      const permit = limiter ? await limiter.acquire({ priority: "broadcast", key: row.address }) : undefined;
      try {
        await sender.send(row.address, message);
        return {
          id: row.id,
          status: "sent",
          error_class: null,
          error: null,
          subscriber_id: row.subscriber_id,
        };
      } catch (e) {
        failure = classifyBroadcastFailure(e, this.options.classifiers);
      } finally {
        permit?.release();
      }
      if (failure.errorClass === "rate_limited" && limited++ < 20) {
        limiter?.pauseFor(failure.retryAfterMs ?? 1000);
        if (!limiter) await sleep(failure.retryAfterMs ?? 1000);
        continue;
      }
      if (failure.retryable && failure.errorClass !== "rate_limited" && attempt < maxAttempts) {
        await sleep((this.options.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
        attempt++;
        continue;
      }
      return {
        id: row.id,
        status: failure.unsubscribe ? "blocked" : "failed",
        error_class: failure.errorClass,
        error: failure.message.slice(0, 300),
        subscriber_id: row.subscriber_id,
      };
    }
  }

  /** Records a page's outcomes, closes blocked subscriptions and finishes completed runs, in one transaction. */
  private async record(outcomes: Outcome[], runIds: number[]): Promise<void> {
    const now = this.now().toISOString();
    const json = JSON.stringify(outcomes);
    const blocked = JSON.stringify(
      outcomes.filter((o) => o.status === "blocked" && o.subscriber_id !== null),
    );
    await this.options.db.transaction(async (tx) => {
      await tx.execute(sql`update broadcast_deliveries d set status = v.status, error_class = v.error_class,
          error = v.error, done_at = ${now}::timestamptz
        from jsonb_to_recordset(${json}::jsonb) as v(id bigint, status text, error_class text, error text)
        where d.id = v.id and d.status = 'sending'`);
      if (blocked !== "[]")
        await tx.execute(sql`update broadcast_subscribers s set opted_out_at = ${now}::timestamptz,
            opted_out_via = 'blocked', opted_out_reason = left(v.error, 200)
          from jsonb_to_recordset(${blocked}::jsonb) as v(subscriber_id bigint, error text)
          where s.id = v.subscriber_id and s.opted_out_at is null`);
      await finishRuns(tx, runIds, now);
    });
  }
}

/** Marks runs with nothing left to send as done. */
export async function finishRuns(
  q: Pick<Database, "execute">,
  runIds: number[] | "all",
  now: string,
): Promise<void> {
  const which =
    runIds === "all"
      ? sql``
      : sql`and r.id in (select jsonb_array_elements_text(${JSON.stringify(runIds)}::jsonb)::bigint)`;
  await q.execute(sql`update broadcast_runs r set status = 'done', finished_at = ${now}::timestamptz
    where r.status = 'sending' ${which}
      and not exists (select 1 from broadcast_deliveries d where d.run_id = r.id and d.status in ('pending', 'sending'))`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
