/**
 * `src/reports/` owns a report's history: a delivery goes through the checked status transitions
 * (a report already taken up stays taken up), and a move records from where to where and why,
 * changes the status when an officer forwards it, and ends the question to the reporter.
 */
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relays, reportEvents, reports } from "../../src/db/schema/index.js";
import { markDelivered, moveReport } from "../../src/reports/lifecycle.js";
import { changeStatus, StatusTransitionError } from "../../src/reports/status.js";
import { startHarness } from "../delivery/harness.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";

describe("report lifecycle", { timeout: 60_000 }, () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    h = await startHarness();
    await h.app.services.directory.addDestination("18.72", "web", "metro", { actor: "test" });
  }, 120_000);
  afterAll(async () => h?.close());

  const events = async (id: number) =>
    (
      await h.db
        .select()
        .from(reportEvents)
        .where(eq(reportEvents.reportId, id))
        .orderBy(asc(reportEvents.id))
    ).map((e) => [e.type, e.fromStatus, e.toStatus]);

  it("a delivery follows the status rules and is one history entry", async () => {
    const number = await fileThroughWeb(h.app, "visitor-life-1", tipInputs());
    const [r] = await h.db.select().from(reports).where(eq(reports.number, number));
    const now = new Date();
    await h.db.transaction((tx) =>
      markDelivered(tx, r!.id, { channel: "telegram", officeCode: "18.72", now }),
    );
    await h.db.transaction((tx) => changeStatus(tx, r!.id, { to: "acknowledged", actor: "test", now }));
    // A second destination delivers after the office took it up: the status stays.
    await h.db.transaction((tx) => markDelivered(tx, r!.id, { channel: "web", officeCode: "18.72", now }));
    expect((await h.db.select().from(reports).where(eq(reports.id, r!.id)))[0]!.status).toBe("acknowledged");
    expect(await events(r!.id)).toEqual([
      ["received", null, "received"],
      ["delivered", "received", "delivered"],
      ["status", "delivered", "acknowledged"],
      ["delivered", null, null],
    ]);
    await expect(
      h.db.transaction((tx) => changeStatus(tx, r!.id, { to: "delivered", actor: "test", now })),
    ).rejects.toBeInstanceOf(StatusTransitionError);
  });

  it("an officer's forward changes the status, stores the route, records the move and ends the question", async () => {
    const number = await fileThroughWeb(h.app, "visitor-life-2", tipInputs());
    const [r] = await h.db.select().from(reports).where(eq(reports.number, number));
    const now = new Date();
    await h.db.transaction((tx) =>
      markDelivered(tx, r!.id, { channel: "web", officeCode: r!.officeCode, now }),
    );
    await h.db.insert(relays).values({
      reportId: r!.id,
      contactId: r!.contactId,
      officeCode: r!.officeCode!,
      openedBy: "test",
      openedAt: now,
    });
    const moved = await h.db.transaction((tx) =>
      moveReport(tx, r!.id, {
        kind: "forwarded",
        toOffice: "13.72",
        actor: "telegram:1",
        reason: "terjadi di Solok",
        now,
        route: {
          regionCode: "13.72",
          steps: [
            {
              officeCode: "13.72",
              officeName: "Bawaslu Kota Solok",
              role: "regency",
              usable: true,
              reason: "x",
            },
          ],
        },
      }),
    );
    expect([moved.status, moved.officeCode, moved.regionCode]).toEqual(["forwarded", "13.72", "13.72"]);
    const [relay] = await h.db.select().from(relays).where(eq(relays.reportId, r!.id));
    expect(relay!.closedAt).not.toBeNull();
    const all = await h.db
      .select()
      .from(reportEvents)
      .where(eq(reportEvents.reportId, r!.id))
      .orderBy(asc(reportEvents.id));
    expect(all.at(-1)).toMatchObject({
      type: "forwarded",
      reason: "terjadi di Solok",
      details: { from: r!.officeCode, to: "13.72" },
    });
    expect(all.at(-2)).toMatchObject({ type: "status", toStatus: "forwarded" });
  });
});
