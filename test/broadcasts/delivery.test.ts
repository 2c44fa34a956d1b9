/**
 * Broadcast delivery against the Bot API stand-in, on each database: who gets a run (by province,
 * regency, officers, everyone, a test chat), blocked and vanished chats unsubscribed, retries only
 * where they help, an image uploaded once, pause/resume/cancel, and 200 recipients with the
 * stand-in's 30 messages/s flood control on: every one gets it exactly once, no 429 unhonoured.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { Api } from "grammy";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCalendar } from "../../src/broadcasts/calendar.js";
import {
  broadcastProgress,
  cancelBroadcast,
  createBroadcast,
  getBroadcast,
  type NewBroadcast,
  pauseBroadcast,
  previewBroadcast,
  resumeBroadcast,
  runStatusCounts,
  startBroadcast,
} from "../../src/broadcasts/control.js";
import { BroadcastDispatcher } from "../../src/broadcasts/dispatcher.js";
import { loadLibrary } from "../../src/broadcasts/library.js";
import { RateLimiter } from "../../src/broadcasts/rate-limiter.js";
import { BroadcastScheduler } from "../../src/broadcasts/scheduler.js";
import { TelegramBroadcastSender } from "../../src/broadcasts/telegram-sender.js";
import { rowsOf } from "../../src/db/client.js";
import { broadcastDeliveries, broadcastSubscribers, officers } from "../../src/db/schema/index.js";
import { loadLocales } from "../../src/engine/locale.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog, type RegionCatalog } from "../../src/regions/catalog.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { freshDatabase, testDrivers } from "../support/db.js";
import { seedSubscribers, silent } from "./support.js";

const TOKEN = "626262:TEST-token-for-broadcast-delivery";
const locales = loadLocales("flows/locales");
const library = loadLibrary("flows/broadcasts");
const calendar = loadCalendar("flows/calendar/elections.yaml");

describe.each(testDrivers())("broadcast delivery on %s", (driver) => {
  let h: Awaited<ReturnType<typeof freshDatabase>>;
  let catalog: RegionCatalog;
  let stub: BotApiStub;
  let scheduler: BroadcastScheduler;
  let tmp: string;
  const ctx = () => ({ library, calendar, regionExists: (c: string) => catalog.has(c) });
  const dispatcherWith = (limiter: RateLimiter, pageSize?: number) =>
    new BroadcastDispatcher({
      db: h.db,
      senders: [new TelegramBroadcastSender(new Api(TOKEN, { apiRoot: stub.apiRoot }))],
      limiters: { telegram: limiter },
      locales,
      logger: silent,
      retryDelayMs: 10,
      ...(pageSize ? { pageSize } : {}),
    });
  const fast = () => new RateLimiter({ perSecond: 1000 });
  /** Creates, starts and schedules a broadcast now; resolves to its id and run. */
  const launch = async (input: Partial<NewBroadcast>) => {
    const b = await createBroadcast(
      h.db,
      {
        contentId: "fasilitas_negara",
        audience: "all",
        schedule: { kind: "now" },
        createdBy: "test",
        ...input,
      },
      ctx(),
    );
    await startBroadcast(h.db, b.id, "test");
    const [run] = await scheduler.tick();
    return { id: b.id, run: run! };
  };
  const addressesOf = async (runId: number) =>
    (
      await h.db
        .select({ a: broadcastDeliveries.address })
        .from(broadcastDeliveries)
        .where(eq(broadcastDeliveries.runId, runId))
    )
      .map((r) => r.a)
      .sort();

  beforeAll(async () => {
    [h, catalog, stub] = await Promise.all([
      freshDatabase(driver),
      loadRegionCatalog(),
      startBotApiStub({ token: TOKEN, keepLog: true }),
    ]);
    tmp = mkdtempSync(join(tmpdir(), "lapor-bcimg-"));
    await syncOffices(h.db, catalog);
    scheduler = new BroadcastScheduler({ db: h.db, calendar, logger: silent, leaseMs: 600_000 });
  });
  afterAll(async () => {
    await h?.drop();
    await stub?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("picks the audience in SQL: regency, province, officers, everyone; web visitors and national subscribers where they belong", async () => {
    await seedSubscribers(h.db, 3, { scope: "regency", regencyCode: "18.72", provinceCode: "18" }, 2001);
    await seedSubscribers(h.db, 2, { scope: "province", provinceCode: "18", lang: "en" }, 3001);
    await seedSubscribers(h.db, 2, { scope: "regency", regencyCode: "16.71", provinceCode: "16" }, 4001);
    await seedSubscribers(h.db, 2, { scope: "national" }, 5001);
    await h.db.execute(sql`insert into contacts (channel, external_id) values ('web', 'visitor-1')`);
    await h.db.execute(sql`insert into broadcast_subscribers (contact_id, channel, role, scope, lang, opted_in_via)
      select id, 'web', 'warga', 'national', 'id', 'test' from contacts where external_id = 'visitor-1'`);
    await h.db.insert(officers).values([
      { officeCode: "18.72", channel: "telegram", userId: "6001" },
      { officeCode: "18", channel: "telegram", userId: "6001" },
      { officeCode: "16", channel: "telegram", userId: "6002" },
      { officeCode: "16", channel: "telegram", userId: "6003", active: false },
    ]);
    const regency = await launch({ audience: "regency", regions: ["18.72"] });
    expect(await addressesOf(regency.run.runId)).toEqual(["2001", "2002", "2003", "3001", "3002"]);
    const province = await launch({ audience: "province", regions: ["16"] });
    expect(await addressesOf(province.run.runId)).toEqual(["4001", "4002"]);
    const staff = await launch({ audience: "officers" });
    expect(await addressesOf(staff.run.runId)).toEqual(["6001", "6002"]);
    const all = await launch({ audience: "all" });
    expect(all.run.recipients).toBe(9);
    expect(await addressesOf(all.run.runId)).not.toContain("visitor-1");
    // Cancel the others; send "all" and look at what arrived.
    for (const b of [regency, province, staff]) await cancelBroadcast(h.db, b.id, "test");
    const r = await dispatcherWith(fast()).drain();
    expect(r).toMatchObject({ claimed: 9, sent: 9 });
    const id = stub.sentTo(2001).at(-1)!;
    expect(id.text).toMatch(/Mobil dinas, kantor, dan anggaran/);
    expect(id.text).toMatch(/Balas "berhenti"/);
    expect(id.message.entities?.some((e) => e.type === "bold")).toBe(true);
    expect(stub.sentTo(3001).at(-1)!.text).toMatch(/Official cars.*Reply "stop"/s);
    expect(stub.sentTo(6001)).toHaveLength(0);
    expect(await runStatusCounts(h.db, all.run.runId)).toEqual({ sent: 9 });
    // Runs of cancelled broadcasts are closed, their rows kept as cancelled.
    expect(await runStatusCounts(h.db, regency.run.runId)).toEqual({ cancelled: 5 });
    await scheduler.tick();
    expect((await getBroadcast(h.db, all.id)).status).toBe("finished");
  });

  it("a blocked bot, a deactivated account or a vanished chat unsubscribes; a 502 is retried and sent", async () => {
    const chats = await seedSubscribers(
      h.db,
      5,
      { scope: "regency", regencyCode: "18.10", provinceCode: "18" },
      7001,
    );
    stub.failChat(7001, { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    stub.failChat(7002, { error_code: 403, description: "Forbidden: user is deactivated" });
    stub.failChat(7003, { error_code: 400, description: "Bad Request: chat not found" });
    stub.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    const { id, run } = await launch({ audience: "regency", regions: ["18.10"] });
    await dispatcherWith(fast()).drain();
    const rows = await h.db
      .select()
      .from(broadcastDeliveries)
      .where(eq(broadcastDeliveries.runId, run.runId))
      .orderBy(broadcastDeliveries.address);
    // The province-wide subscribers of Lampung (3001, 3002) get regency broadcasts of Lampung too.
    expect(rows.map((r) => [r.address, r.status, r.errorClass])).toEqual([
      ["3001", "sent", null],
      ["3002", "sent", null],
      ["7001", "blocked", "blocked"],
      ["7002", "blocked", "blocked"],
      ["7003", "blocked", "chat_not_found"],
      ["7004", "sent", null],
      ["7005", "sent", null],
    ]);
    const subs = rowsOf<{ address: string; opted_out_via: string | null; opted_out_reason: string | null }>(
      await h.db.execute(sql`select c.external_id as address, s.opted_out_via, s.opted_out_reason
        from broadcast_subscribers s join contacts c on c.id = s.contact_id
        where c.external_id in ('7001','7002','7003','7004') order by c.external_id`),
    );
    expect(subs.map((s) => s.opted_out_via)).toEqual(["blocked", "blocked", "blocked", null]);
    expect(subs[0]!.opted_out_reason).toMatch(/blocked by the user/);
    for (const c of chats.slice(0, 3)) stub.failChat(c, null);
    expect(stub.sentTo(7004)).toHaveLength(1);
    const p = await broadcastProgress(h.db, id);
    expect(p).toMatchObject({ sent: 4, blocked: 3, errors: { blocked: 2, chat_not_found: 1 } });
  });

  it("an image goes with sendPhoto, uploaded once and then re-sent by file_id", async () => {
    const image = join(tmp, "poster.png");
    writeFileSync(image, await QRCode.toBuffer("https://t.me/lapornetral_bot", { type: "png" }));
    await seedSubscribers(h.db, 3, { scope: "province", provinceCode: "31" }, 8001);
    await launch({ audience: "province", regions: ["31"], imagePath: image });
    await dispatcherWith(fast(), 1).drain();
    const photos = stub.requests.filter((r) => r.method === "sendPhoto" && r.ok);
    expect(photos).toHaveLength(3);
    expect(photos.filter((r) => r.uploads?.length)).toHaveLength(1);
    expect(stub.sentTo(8003)[0]!.text).toMatch(/Mobil dinas/);
  });

  it("a preview goes to the test chat only, whatever the broadcast's status", async () => {
    const b = await createBroadcast(
      h.db,
      { contentId: "cara_melapor", audience: "all", schedule: { kind: "now" }, createdBy: "test" },
      ctx(),
    );
    const run = await previewBroadcast(h.db, b.id, "telegram:9999", "test");
    expect(run.recipients).toBe(1);
    expect(await dispatcherWith(fast()).drain()).toMatchObject({ claimed: 1, sent: 1 });
    expect(stub.sentTo(9999)[0]!.text).toMatch(/Melihat ASN tidak netral/);
    expect(stub.sentTo(9999)[0]!.text).not.toMatch(/berhenti/);
    expect((await getBroadcast(h.db, b.id)).status).toBe("draft");
    expect(await scheduler.tick()).toHaveLength(0);
  });

  it("pause holds the rest, resume sends it, cancel keeps what was not sent as cancelled", async () => {
    await seedSubscribers(h.db, 30, { scope: "regency", regencyCode: "19.71", provinceCode: "19" }, 10_001);
    const { id, run } = await launch({ audience: "regency", regions: ["19.71"] });
    const d = dispatcherWith(fast(), 5);
    const sender = (d as unknown as { options: { senders: TelegramBroadcastSender[] } }).options.senders[0]!;
    expect((await d.page(sender)).sent).toBe(5);
    await pauseBroadcast(h.db, id, "test");
    expect((await d.page(sender)).claimed).toBe(0);
    await resumeBroadcast(h.db, id, "test");
    expect((await d.page(sender)).sent).toBe(5);
    await cancelBroadcast(h.db, id, "test");
    expect((await d.page(sender)).claimed).toBe(0);
    await expect(resumeBroadcast(h.db, id, "test")).rejects.toThrow(/cancelled: cannot resume/);
    expect(await runStatusCounts(h.db, run.runId)).toEqual({ sent: 10, cancelled: 20 });
    let arrived = 0;
    for (let c = 10_001; c <= 10_030; c++) arrived += stub.sentTo(c).length;
    expect(arrived).toBe(10);
  });

  it("200 recipients with the stand-in's 30/s flood control: each exactly once, no 429 unhonoured", async () => {
    const limited = await startBotApiStub({
      token: TOKEN,
      keepLog: false,
      rateLimit: { globalPerSecond: 30, perChatPerSecond: 1 },
    });
    try {
      const chats = await seedSubscribers(h.db, 200, { scope: "province", provinceCode: "12" }, 20_001);
      // One 429 from the server side too: the whole channel must wait for its retry_after.
      limited.failNext("sendMessage", {
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      });
      const { run } = await launch({ audience: "province", regions: ["12"] });
      const limiter = new RateLimiter({ perSecond: 30, perChatIntervalMs: 1000 });
      const d = new BroadcastDispatcher({
        db: h.db,
        senders: [new TelegramBroadcastSender(new Api(TOKEN, { apiRoot: limited.apiRoot }))],
        limiters: { telegram: limiter },
        locales,
        logger: silent,
      });
      await d.drain();
      expect(limited.stats.totalSends).toBe(200);
      expect(limited.stats.duplicates).toBe(0);
      expect(limited.stats.unhonoured429).toBe(0);
      expect(limited.stats.rateLimitedGlobal + limited.stats.rateLimitedPerChat).toBe(0);
      expect(limited.stats.peakSendsPerSecond).toBeLessThanOrEqual(30);
      expect(chats.every((c) => limited.stats.byChat.get(c) === 1)).toBe(true);
      expect(limiter.stats.pauses).toBe(1);
      expect(await runStatusCounts(h.db, run.runId)).toEqual({ sent: 200 });
      const [open] = rowsOf<{ n: number }>(
        await h.db.execute(
          sql`select count(*)::int as n from broadcast_subscribers where opted_out_at is null and province_code = '12'`,
        ),
      );
      expect(Number(open!.n)).toBe(200);
      expect(
        await h.db.select().from(broadcastSubscribers).where(eq(broadcastSubscribers.optedOutVia, "word")),
      ).toHaveLength(0);
    } finally {
      await limited.close();
    }
  });
});
