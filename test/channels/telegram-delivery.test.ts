/**
 * Delivery to Telegram office groups when things go wrong: a restart between saving and
 * delivering, 429 with retry_after and 502 from the Bot API, and a group that is gone.
 * Reports are filed through the web channel's conversation service (same engine, same database),
 * and delivered by the real worker over HTTP to the Bot API stand-in.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { outbox, reportEvents, reports } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";

const TOKEN = "654321:TEST-token-for-delivery-tests-only";
const METRO = -100_501;
const LAMPUNG = -100_502;
const logger = createLogger({ level: "silent" });

/** Files a tip in Kota Metro (typed place) through the conversation service; returns its number. */
const fileTip = (app: App, visitor: string) =>
  fileThroughWeb(
    app,
    visitor,
    tipInputs({ category: "mengerahkan", place: { kind: "text", text: "kota metro" } }),
  );

describe("delivery to Telegram when things go wrong", () => {
  let stub: BotApiStub;
  let dataDir: string;
  let config: Config;
  const apps: App[] = [];
  const start = async () => {
    const app = await startApp(config, logger, {
      workerIntervalMs: 0,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-dl-"));
    config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      DEFAULT_ADMIN_DESTINATION: "telegram:-100999",
    });
    const app = await start();
    await app.services.directory.addDestination("18.72", "telegram", String(METRO), { actor: "test" });
    await app.services.directory.addDestination("18", "telegram", String(LAMPUNG), { actor: "test" });
  });
  afterAll(async () => {
    for (const a of apps) await a.close().catch(() => {});
    await stub.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a report saved just before the process stopped is delivered once after the restart", async () => {
    const first = apps[0]!;
    const number = await fileTip(first, "visitor-restart-1");
    await first.close(); // the process stops before the worker ran
    expect(stub.sentTo(METRO).filter((m) => m.text?.includes(number))).toHaveLength(0);

    const second = await start();
    await second.worker.drain();
    await second.worker.drain();
    expect(stub.sentTo(METRO).filter((m) => m.text?.includes(number))).toHaveLength(1);
    const [r] = await second.services.database.db.select().from(reports).where(eq(reports.number, number));
    expect(r!.status).toBe("delivered");
  });

  it("429 with retry_after and 502 are retried; the report arrives once, after waiting", async () => {
    const app = apps[apps.length - 1]!;
    const number = await fileTip(app, "visitor-429-1");
    stub.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    stub.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    for (let i = 0; i < 50 && stub.sentTo(METRO).filter((m) => m.text?.includes(number)).length === 0; i++) {
      await app.worker.runOnce();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stub.sentTo(METRO).filter((m) => m.text?.includes(number))).toHaveLength(1);
    // The send after the 429 came no sooner than the retry_after the stand-in asked for.
    const sends = stub.requests.filter((r) => r.method === "sendMessage" && r.chatId === METRO);
    const limited = sends.findLast((r) => r.error_code === 429)!;
    const delivered = sends.find((r) => r.ok && (r.sent?.[0]?.text ?? "").includes(number))!;
    expect(delivered.at - limited.at).toBeGreaterThanOrEqual(1000);
    expect(sends.filter((r) => r.error_code === 502)).toHaveLength(1);
  });

  it("a group that is gone (chat not found) sends the report up the chain to the province", async () => {
    const app = apps[apps.length - 1]!;
    stub.failChat(METRO, { error_code: 400, description: "Bad Request: chat not found" });
    const number = await fileTip(app, "visitor-gone-1");
    await app.worker.drain();
    await app.worker.drain();
    expect(stub.sentTo(LAMPUNG).filter((m) => m.text?.includes(number))).toHaveLength(1);
    const db = app.services.database.db;
    const [r] = await db.select().from(reports).where(eq(reports.number, number));
    expect(r!.officeCode).toBe("18");
    const jobs = await db.select().from(outbox).where(eq(outbox.reportId, r!.id));
    expect(jobs.map((j) => [j.officeCode, j.status])).toEqual([
      ["18.72", "failed"],
      ["18", "done"],
    ]);
    expect(jobs[0]!.lastError).toMatch(/chat not found/);
    const events = (await db.select().from(reportEvents).where(eq(reportEvents.reportId, r!.id))).map(
      (e) => e.type,
    );
    expect(events).toEqual(["received", "delivery_failed", "escalated", "delivered"]);
    stub.failChat(METRO, null);
  });

  it("a 4,000-character story makes a card split into messages Telegram takes; nothing is cut, nothing re-routed", async () => {
    const app = apps[apps.length - 1]!;
    const sentence =
      "Kepala dinas mengumpulkan pegawai honorer di aula kantor dan meminta dukungan untuk calon nomor dua. ";
    const account = sentence.repeat(Math.floor(4000 / sentence.length)).trim();
    expect(account.length).toBeGreaterThan(3900);
    const from = stub.requests.length;
    const number = await fileThroughWeb(
      app,
      "visitor-long-1",
      tipInputs({ place: { kind: "text", text: "kota metro" }, account }),
    );
    await app.worker.drain();
    const messages = stub.sentTo(METRO).filter((m) => m.method === "sendMessage");
    const first = messages.findIndex((m) => (m.text ?? "").includes(number));
    const next = messages.findIndex((m, i) => i > first && (m.text ?? "").startsWith("📋"));
    const texts = messages.slice(first, next < 0 ? undefined : next).map((m) => m.text ?? "");
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    const squash = (s: string) => s.replace(/\s+/g, "");
    expect(squash(texts.join("\n"))).toContain(squash(account));
    const db = app.services.database.db;
    const [r] = await db.select().from(reports).where(eq(reports.number, number));
    expect([r!.status, r!.officeCode]).toEqual(["delivered", "18.72"]);
    const jobs = await db.select().from(outbox).where(eq(outbox.reportId, r!.id));
    expect(jobs.map((j) => [j.officeCode, j.status])).toEqual([["18.72", "done"]]);
    // Telegram itself refuses more than 4,096 characters (the stand-in as well).
    expect(stub.requests.slice(from).some((q) => q.chatId === METRO && q.error_code === 400)).toBe(false);
  });

  it("an office under a 40 s retry_after does not hold up another office's report", async () => {
    const app = apps[apps.length - 1]!;
    const BANDAR = -100_503;
    await app.services.directory.addDestination("18.71", "telegram", String(BANDAR), { actor: "test" });
    stub.failChat(METRO, {
      error_code: 429,
      description: "Too Many Requests: retry after 40",
      parameters: { retry_after: 40 },
    });
    const from = stub.requests.length;
    const metro = await fileTip(app, "visitor-wait-metro");
    const bandar = await fileThroughWeb(
      app,
      "visitor-wait-bandar",
      tipInputs({ category: "mengerahkan", place: { kind: "text", text: "kota bandar lampung" } }),
    );
    const before = Date.now();
    await app.worker.runOnce();
    // Bandar Lampung's card went in the same round; Metro's job waits exactly as asked, in the database.
    expect(stub.sentTo(BANDAR).filter((m) => m.text?.includes(bandar))).toHaveLength(1);
    const db = app.services.database.db;
    const [r] = await db.select().from(reports).where(eq(reports.number, metro));
    const [job] = await db.select().from(outbox).where(eq(outbox.reportId, r!.id));
    expect(job!.status).toBe("pending");
    expect(job!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 40_000);
    // One 429 only: the delivery's Bot API client does not sleep and retry on its own.
    expect(stub.requests.slice(from).filter((q) => q.chatId === METRO && q.error_code === 429)).toHaveLength(
      1,
    );
    stub.failChat(METRO, null);
  });
});
