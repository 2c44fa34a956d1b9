/**
 * The delivery worker over fake transports: a digest that fails for good is marked failed; a
 * refused (wrong) message never moves a report; a worker that dies after the first part is taken
 * over within the lease and every part arrives exactly once; one chat's wait (a 40 s retry_after,
 * or a send that hangs) never holds up another office's report.
 */
import { and, eq } from "drizzle-orm";
import { GrammyError } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, reports } from "../../src/db/schema/index.js";
import { SendFailure } from "../../src/delivery/failure.js";
import { queueDigest, queueReminder } from "../../src/delivery/jobs/index.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";
import { type Arrival, FakeTransport, startHarness } from "./harness.js";

const METRO = "-1001"; // Bawaslu Kota Metro (18.72)
const LAMPUNG = "-1002"; // Bawaslu Provinsi Lampung (18)
const BANDAR = "-1003"; // Bawaslu Kota Bandar Lampung (18.71)
const SOLOK = "-1004"; // Bawaslu Kota Solok (13.72)

const metroTip = { place: { kind: "text" as const, text: "kota metro" } };
const bandarTip = { place: { kind: "text" as const, text: "kota bandar lampung" } };

describe("delivery worker", { timeout: 60_000 }, () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let visitor = 0;
  const file = (options: Parameters<typeof tipInputs>[0]) =>
    fileThroughWeb(h.app, `visitor-w-${++visitor}`, tipInputs(options));
  const reportOf = async (number: string) =>
    (await h.db.select().from(reports).where(eq(reports.number, number)))[0]!;
  const jobsOf = async (number: string) =>
    h.db
      .select()
      .from(outbox)
      .where(eq(outbox.reportId, (await reportOf(number)).id));
  /** Marks every job queued so far as done, so a test sees only its own. */
  const settle = () => h.db.update(outbox).set({ status: "done" }).where(eq(outbox.status, "pending"));

  beforeAll(async () => {
    h = await startHarness();
    h.app.services.router.useDeliverable(() => true); // the fake transports take every telegram chat
    const add = (office: string, chat: string) =>
      h.app.services.directory.addDestination(office, "telegram", chat, { actor: "test" });
    await add("18.72", METRO);
    await add("18", LAMPUNG);
    await add("18.71", BANDAR);
    await add("13.72", SOLOK);
  }, 120_000);
  afterAll(async () => h?.close());

  it("a digest that fails for good is marked failed, not retried forever", async () => {
    await settle();
    const arrived: Arrival[] = [];
    const gone = new FakeTransport(
      arrived,
      () => new SendFailure("gone", "telegram", "chat not found", { code: 400 }),
    );
    const worker = h.worker({ telegram: gone });
    await h.db.transaction((tx) =>
      queueDigest(tx, { officeCode: "13.72", day: "2024-11-20", now: new Date() }),
    );
    expect(await worker.runOnce()).toBe(1);
    const [job] = await h.db.select().from(outbox).where(eq(outbox.kind, "digest"));
    expect(job).toMatchObject({ status: "failed", address: SOLOK });
    expect(job!.lastError).toMatch(/recipient cannot be reached/);
    expect(await worker.runOnce()).toBe(0);
  });

  it("a message the platform refuses as wrong fails the job but never moves the report", async () => {
    await settle();
    const arrived: Arrival[] = [];
    const tooLong = new GrammyError(
      "Call to 'sendMessage' failed! (400: Bad Request: message is too long)",
      { ok: false, error_code: 400, description: "Bad Request: message is too long" },
      "sendMessage",
      {},
    );
    const worker = h.worker({ telegram: new FakeTransport(arrived, () => tooLong) });
    const number = await file(metroTip);
    await worker.drain();
    const jobs = await jobsOf(number);
    expect(jobs.map((j) => [j.officeCode, j.status])).toEqual([["18.72", "failed"]]);
    expect(jobs[0]!.lastError).toMatch(/a bug in the product.*message is too long/);
    expect((await reportOf(number)).officeCode).toBe("18.72");
  });

  it("a worker that dies after the first part is taken over within the lease; every part arrives once", async () => {
    await settle();
    const arrived: Arrival[] = [];
    // Worker A sends the card's first message, then dies while sending its continuation (a long
    // account makes two messages): its send never returns and its timers (the lease's heartbeat)
    // never fire again.
    const a = new FakeTransport(arrived, (_address, ctx) => (ctx.part === 0 ? "ok" : "hang"));
    const dead = h.worker({ telegram: a }, { lockMs: 400, every: () => () => {} });
    const account = `Mobil dinas dipakai mengangkut massa kampanye. ${"Kronologi lengkap kejadian di lapangan. ".repeat(95)}`;
    const number = await file({ account }); // a card of two messages (a tip's own GPS point is never sent)
    const running = dead.runOnce();
    await expect.poll(() => a.started.length, { timeout: 10_000, interval: 20 }).toBe(2);
    const [held] = await jobsOf(number);
    expect([held!.progress, held!.partInFlight]).toEqual([1, 1]);

    // Worker B (another process) claims nothing while the lease lives, then takes the job over.
    const b = new FakeTransport(arrived);
    const taker = h.worker({ telegram: b }, { lockMs: 400 });
    await expect.poll(() => taker.runOnce(), { timeout: 10_000, interval: 100 }).toBe(1);
    a.releaseHung();
    await running;

    const job = (await jobsOf(number))[0]!;
    const parts = arrived.filter((x) => x.jobId === job.id).map((x) => x.part);
    expect(parts).toEqual([0, 1]); // the card's first message by A, its continuation by B: each exactly once
    expect(b.arrivals.map((x) => x.part)).toEqual([1]);
    expect(job.status).toBe("done");
    expect(job.sentParts.map((p) => [p.part, p.kind, p.resent ?? false])).toEqual([
      [0, "text", false],
      [1, "text", true],
    ]);
    expect((await reportOf(number)).status).toBe("delivered");
  });

  it("an office under a 40 s retry_after does not hold up another office's report", async () => {
    await settle();
    const arrived: Arrival[] = [];
    const busy = new FakeTransport(arrived, (address) =>
      address === METRO
        ? new SendFailure("retry_after", "telegram", "Too Many Requests", { code: 429, retryAfterMs: 40_000 })
        : "ok",
    );
    const worker = h.worker({ telegram: busy });
    const metro = await file(metroTip);
    const bandar = await file(bandarTip);
    const before = Date.now();
    await worker.runOnce();
    expect(arrived.filter((x) => x.address === BANDAR && x.text?.includes(bandar))).toHaveLength(1);
    const [waiting] = await jobsOf(metro);
    expect(waiting!.status).toBe("pending");
    expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 40_000);
    expect(waiting!.attempts).toBe(0); // being asked to wait does not use up an attempt
    expect(await worker.runOnce()).toBe(0);
  });

  it("a send that hangs for one chat does not stop the running worker from serving other chats", async () => {
    await settle();
    const arrived: Arrival[] = [];
    const t = new FakeTransport(arrived, (address) => (address === METRO ? "hang" : "ok"));
    const worker = h.worker({ telegram: t });
    const metro = await file(metroTip);
    worker.start(20);
    await expect
      .poll(() => t.started.some((s) => s.address === METRO), { timeout: 10_000, interval: 20 })
      .toBe(true);
    // While Metro's card hangs: a reminder to the same chat waits its turn; Bandar Lampung's report goes.
    const metroReport = await reportOf(metro);
    await h.db.transaction((tx) =>
      queueReminder(tx, { reportId: metroReport.id, officeCode: "18.72", hours: 24, now: new Date() }),
    );
    const bandar = await file(bandarTip);
    await expect
      .poll(() => arrived.some((x) => x.address === BANDAR && x.text?.includes(bandar)), {
        timeout: 15_000,
        interval: 20,
      })
      .toBe(true);
    expect(t.started.filter((s) => s.address === METRO)).toHaveLength(1);
    const [reminder] = await h.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, "reminder"), eq(outbox.reportId, metroReport.id)));
    expect(reminder!.status).toBe("pending");
    t.behaviour = () => "ok";
    t.releaseHung();
    await expect
      .poll(async () => (await h.db.select().from(outbox).where(eq(outbox.id, reminder!.id)))[0]!.status, {
        timeout: 15_000,
        interval: 50,
      })
      .toBe("done");
    await worker.stop();
  });
});
