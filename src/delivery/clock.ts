import { and, eq, inArray, lte, notExists, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { officeDestinations, outbox, reportEvents, reports } from "../db/schema/index.js";
import type { Logger } from "../log.js";
import { jakartaToday } from "../parsing/index.js";
import { OPEN_STATUSES } from "../reports/status.js";
import type { Router } from "../routing/route.js";

/** When offices are reminded, when reports escalate, when the digest goes out. */
export interface ClockSettings {
  /** Hours after delivery without acknowledgement before the office is reminded; twice this, the province takes over. */
  ackReminderHours: number;
  /** Hour of the day (Asia/Jakarta) after which each office chat gets its daily digest. */
  digestHour: number;
}

/**
 * The office clocks, run by the delivery worker on every tick: reminds an office of a report it has
 * not acknowledged in time, escalates it to the province after twice that time, and queues each
 * office chat's daily digest of open reports. Everything goes through the outbox, once (dedupe keys).
 */
export class OfficeClock {
  constructor(
    private readonly db: Database,
    private readonly router: Router,
    private readonly settings: ClockSettings,
    private readonly logger: Logger,
  ) {}

  /** Does what is due at `now`; resolves to how many jobs were queued. */
  async tick(now: Date): Promise<number> {
    return (await this.remind(now)) + (await this.escalate(now)) + (await this.digest(now));
  }

  private unacknowledged(olderThanHours: number, eventType: string, now: Date) {
    return this.db
      .select()
      .from(reports)
      .where(
        and(
          eq(reports.status, "delivered"),
          lte(reports.createdAt, new Date(now.getTime() - olderThanHours * 3_600_000)),
          notExists(
            this.db
              .select({ one: sql`1` })
              .from(reportEvents)
              .where(and(eq(reportEvents.reportId, reports.id), eq(reportEvents.type, eventType))),
          ),
        ),
      )
      .limit(100);
  }

  private async queueFor(
    officeCode: string,
    kind: "reminder" | "digest" | "deliver_report",
    key: string,
    payload: Record<string, unknown>,
    reportId: number | null,
    now: Date,
  ) {
    const dests = await this.db
      .select()
      .from(officeDestinations)
      .where(and(eq(officeDestinations.officeCode, officeCode), eq(officeDestinations.active, true)));
    if (!dests.length) return 0;
    const rows = await this.db
      .insert(outbox)
      .values(
        dests.map((d) => ({
          kind,
          dedupeKey: `${key}:${d.channel}:${d.address}`,
          reportId,
          channel: d.channel,
          address: d.address,
          officeCode,
          payload,
          nextAttemptAt: now,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: outbox.id });
    return rows.length;
  }

  private async remind(now: Date): Promise<number> {
    let n = 0;
    for (const r of await this.unacknowledged(this.settings.ackReminderHours, "reminded", now)) {
      if (!r.officeCode) continue;
      const hours = Math.floor((now.getTime() - r.createdAt.getTime()) / 3_600_000);
      n += await this.queueFor(r.officeCode, "reminder", `reminder:${r.id}`, { hours }, r.id, now);
      await this.db.insert(reportEvents).values({
        reportId: r.id,
        at: now,
        actor: "system:clock",
        type: "reminded",
        details: { officeCode: r.officeCode, hours },
      });
    }
    return n;
  }

  /** Unacknowledged for twice the reminder time: the province's office takes the report over. */
  private async escalate(now: Date): Promise<number> {
    let n = 0;
    for (const r of await this.unacknowledged(
      this.settings.ackReminderHours * 2,
      "escalated_unacknowledged",
      now,
    )) {
      const province = r.provinceCode;
      if (!province || province === r.officeCode) continue;
      const route = await this.router.forRegion(province);
      const index = route.steps.findIndex(
        (s) => s.usable && s.officeCode !== r.officeCode && s.officeCode !== null,
      );
      const step = route.steps[index];
      if (!step?.officeCode) continue;
      await this.db.transaction(async (tx) => {
        await tx.update(reports).set({ officeCode: step.officeCode }).where(eq(reports.id, r.id));
        await tx.insert(reportEvents).values({
          reportId: r.id,
          at: now,
          actor: "system:clock",
          type: "escalated_unacknowledged",
          reason: step.reason,
          details: { from: r.officeCode, to: step.officeCode },
        });
      });
      n += await this.queueFor(
        step.officeCode,
        "deliver_report",
        `escalate:${r.id}`,
        { stepIndex: 0, escalated: true },
        r.id,
        now,
      );
      this.logger.warn(
        { report: r.number, from: r.officeCode, to: step.officeCode },
        "report escalated: not acknowledged in time",
      );
    }
    return n;
  }

  /** Once a day after `digestHour` (Asia/Jakarta): each office with open reports gets the list. */
  private async digest(now: Date): Promise<number> {
    const jakartaHour = (now.getUTCHours() + 7) % 24;
    if (jakartaHour < this.settings.digestHour) return 0;
    const day = jakartaToday(now);
    const open = await this.db
      .selectDistinct({ office: reports.officeCode })
      .from(reports)
      .where(inArray(reports.status, [...OPEN_STATUSES]));
    let n = 0;
    for (const { office } of open)
      if (office) n += await this.queueFor(office, "digest", `digest:${office}:${day}`, { day }, null, now);
    return n;
  }
}
