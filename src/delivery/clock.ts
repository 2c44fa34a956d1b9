import { and, eq, inArray, lte, notExists, sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { reportEvents, reports } from "../db/schema/index.js";
import type { Logger } from "../log.js";
import { jakartaToday } from "../parsing/index.js";
import { moveReport, recordEvent } from "../reports/lifecycle.js";
import { OPEN_STATUSES } from "../reports/status.js";
import type { Router } from "../routing/route.js";
import { queueCard, queueDigest, queueReminder } from "./jobs/index.js";

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

  private async remind(now: Date): Promise<number> {
    let n = 0;
    for (const r of await this.unacknowledged(this.settings.ackReminderHours, "reminded", now)) {
      if (!r.officeCode) continue;
      const hours = Math.floor((now.getTime() - r.createdAt.getTime()) / 3_600_000);
      const officeCode = r.officeCode;
      n += await this.db.transaction(async (tx) => {
        const queued = await queueReminder(tx, { reportId: r.id, officeCode, hours, now });
        await recordEvent(tx, r.id, {
          type: "reminded",
          actor: "system:clock",
          at: now,
          details: { officeCode, hours },
        });
        return queued;
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
      const to = step.officeCode;
      // The step's place in the report's own route, so a later fallback continues after it.
      const stepIndex = Math.max(
        0,
        r.route.findIndex((s) => s.officeCode === to),
      );
      n += await this.db.transaction(async (tx) => {
        await moveReport(tx, r.id, {
          kind: "escalated_unacknowledged",
          toOffice: to,
          actor: "system:clock",
          reason: step.reason,
          now,
        });
        return queueCard(tx, {
          reportId: r.id,
          officeCode: to,
          destinations: step.destinations,
          stepIndex,
          key: "escalate",
          now,
          escalated: true,
        });
      });
      this.logger.warn(
        { report: r.number, from: r.officeCode, to },
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
      if (office) n += await queueDigest(this.db, { officeCode: office, day, now });
    return n;
  }
}
