/**
 * Scheduling with a fake clock: at a time, every Monday 08:00 during the Pilkada 2024 campaign,
 * two days before the quiet period; and the scheduler on each database: one run per occurrence,
 * never two for the same occurrence (a restart or a second scheduler included).
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCalendar, phaseWindow } from "../../src/broadcasts/calendar.js";
import { createBroadcast, runsOf, startBroadcast } from "../../src/broadcasts/control.js";
import { loadLibrary } from "../../src/broadcasts/library.js";
import {
  dueOccurrence,
  MAX_LATE_MS,
  nextOccurrence,
  parseJakartaTime,
  type Schedule,
} from "../../src/broadcasts/schedule.js";
import { BroadcastScheduler } from "../../src/broadcasts/scheduler.js";
import { broadcastDeliveries, broadcasts } from "../../src/db/schema/index.js";
import { freshDatabase, testDrivers } from "../support/db.js";
import { seedSubscribers, silent } from "./support.js";

const calendar = loadCalendar("flows/calendar/elections.yaml");
const library = loadLibrary("flows/broadcasts");
const wib = (s: string) => parseJakartaTime("t", s);

describe("schedules (pure, fake clock)", () => {
  const started = wib("2024-09-01 00:00");
  const ctx = { calendar, startedAt: started, lastOccurrence: undefined };

  it("the calendar's phases are WIB days, last day included", () => {
    const w = phaseWindow(calendar, "pilkada2024/quiet");
    expect(w.start.toISOString()).toBe("2024-11-23T17:00:00.000Z");
    expect(w.end.toISOString()).toBe("2024-11-26T17:00:00.000Z");
  });

  it("at a time: due from that instant on, once", () => {
    const s: Schedule = { kind: "at", at: wib("2024-11-20 08:00").toISOString() };
    expect(dueOccurrence(s, wib("2024-11-20 07:59"), ctx)).toBeUndefined();
    expect(dueOccurrence(s, wib("2024-11-20 08:00"), ctx)?.toISOString()).toBe("2024-11-20T01:00:00.000Z");
    expect(
      dueOccurrence(s, wib("2024-11-21 09:00"), { ...ctx, lastOccurrence: wib("2024-11-20 08:00") }),
    ).toBeUndefined();
  });

  it("every Monday 08:00 during the campaign: nothing before it, each Monday in it, nothing after it", () => {
    const s: Schedule = { kind: "cron", cron: "0 8 * * 1", during: "pilkada2024/campaign" };
    expect(dueOccurrence(s, wib("2024-09-23 09:00"), ctx)).toBeUndefined(); // a Monday before the campaign
    expect(nextOccurrence(s, wib("2024-09-23 09:00"), ctx)?.toISOString()).toBe("2024-09-30T01:00:00.000Z");
    const mondays: string[] = [];
    let last: Date | undefined;
    // A fake clock walking the whole election, one hour at a time.
    for (let t = wib("2024-09-20 00:00").getTime(); t < wib("2024-12-10 00:00").getTime(); t += 3_600_000) {
      const due = dueOccurrence(s, new Date(t), { ...ctx, lastOccurrence: last });
      if (due) {
        mondays.push(due.toISOString().slice(0, 10));
        last = due;
      }
    }
    expect(mondays).toEqual([
      "2024-09-30",
      "2024-10-07",
      "2024-10-14",
      "2024-10-21",
      "2024-10-28",
      "2024-11-04",
      "2024-11-11",
      "2024-11-18",
    ]);
    expect(nextOccurrence(s, wib("2024-11-19 00:00"), { ...ctx, lastOccurrence: last })).toBeUndefined();
  });

  it("two days before the quiet period, 08:00 WIB", () => {
    const s: Schedule = {
      kind: "phase",
      phase: "pilkada2024/quiet",
      anchor: "start",
      offsetDays: -2,
      time: "08:00",
    };
    expect(nextOccurrence(s, started, ctx)?.toISOString()).toBe("2024-11-22T01:00:00.000Z");
    expect(dueOccurrence(s, wib("2024-11-22 07:00"), ctx)).toBeUndefined();
    expect(dueOccurrence(s, wib("2024-11-22 08:05"), ctx)?.toISOString()).toBe("2024-11-22T01:00:00.000Z");
  });

  it("a recurring occurrence missed while down is sent late only within the grace, and only the latest", () => {
    const s: Schedule = { kind: "cron", cron: "0 8 * * *" };
    const last = wib("2024-10-01 08:00");
    const soon = dueOccurrence(s, wib("2024-10-04 09:00"), { ...ctx, lastOccurrence: last });
    expect(soon?.toISOString()).toBe(wib("2024-10-04 08:00").toISOString());
    const late = new Date(wib("2024-10-04 08:00").getTime() + MAX_LATE_MS + 60_000);
    expect(dueOccurrence(s, late, { ...ctx, lastOccurrence: last })).toBeUndefined();
  });
});

describe.each(testDrivers())("the scheduler on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let clock = wib("2024-09-20 00:00");
  const make = () =>
    new BroadcastScheduler({ db: h.db, calendar, logger: silent, leaseMs: 600_000, now: () => clock });
  const ctx = { library, calendar, regionExists: () => true };
  beforeAll(async () => {
    h = await freshDatabase(driver);
    await seedSubscribers(h.db, 4, { scope: "national" }, 100);
  });
  afterAll(() => h?.drop());

  it("creates one run per Monday of the campaign with its rows, never twice, across restarts", async () => {
    const b = await createBroadcast(
      h.db,
      {
        contentId: "medsos_unggah",
        audience: "all",
        schedule: { kind: "cron", cron: "0 8 * * 1", during: "pilkada2024/campaign" },
        createdBy: "test",
      },
      ctx,
    );
    await startBroadcast(h.db, b.id, "test", clock);
    let scheduler = make();
    const seen: string[] = [];
    for (let t = clock.getTime(); t < wib("2024-12-01 00:00").getTime(); t += 6 * 3_600_000) {
      clock = new Date(t);
      // A restart every tick on the first Monday: a new scheduler finds the run already there.
      if (t < wib("2024-10-01 00:00").getTime()) scheduler = make();
      const created = await scheduler.tick();
      const again = await make().tick();
      expect(again).toHaveLength(0);
      for (const r of created) {
        expect(r.recipients).toBe(4);
        seen.push(clock.toISOString().slice(0, 10));
      }
      // Mark the run's rows sent, as a sender would.
      await h.db.update(broadcastDeliveries).set({ status: "sent" });
    }
    const runs = await runsOf(h.db, b.id);
    expect(runs.map((r) => r.occurrenceAt.toISOString().slice(0, 10))).toEqual([
      "2024-09-30",
      "2024-10-07",
      "2024-10-14",
      "2024-10-21",
      "2024-10-28",
      "2024-11-04",
      "2024-11-11",
      "2024-11-18",
    ]);
    expect(seen).toHaveLength(8);
    expect(runs.every((r) => r.status === "done")).toBe(true);
    const [after] = await h.db.select().from(broadcasts).where(eq(broadcasts.id, b.id));
    expect(after!.status).toBe("finished");
  });

  it("a broadcast two days before the quiet period runs once, at 08:00 WIB on 22 November", async () => {
    clock = wib("2024-11-01 00:00");
    const b = await createBroadcast(
      h.db,
      {
        contentId: "masa_tenang",
        audience: "all",
        schedule: {
          kind: "phase",
          phase: "pilkada2024/quiet",
          anchor: "start",
          offsetDays: -2,
          time: "08:00",
        },
        createdBy: "test",
      },
      ctx,
    );
    await startBroadcast(h.db, b.id, "test", clock);
    const scheduler = make();
    clock = wib("2024-11-22 07:59");
    expect(await scheduler.tick()).toHaveLength(0);
    clock = wib("2024-11-22 08:00");
    expect(await scheduler.tick()).toHaveLength(1);
    clock = wib("2024-11-22 09:00");
    expect(await scheduler.tick()).toHaveLength(0);
    const runs = await runsOf(h.db, b.id);
    expect(runs.map((r) => r.occurrenceAt.toISOString())).toEqual(["2024-11-22T01:00:00.000Z"]);
  });
});
