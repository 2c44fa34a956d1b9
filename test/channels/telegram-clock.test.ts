/**
 * Office clocks with a fake clock, over the Bot API stand-in: an unacknowledged report is reminded
 * to its office after ACK_REMINDER_HOURS, taken over by the province after twice that, and every
 * office chat with open reports gets one digest a day after DIGEST_HOUR (Asia/Jakarta).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { reportEvents, reports } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";

const TOKEN = "555555:TEST-token-for-the-clock-tests";
const METRO = -100_701;
const LAMPUNG = -100_702;
const HOUR = 3_600_000;

describe("office clocks", () => {
  let stub: BotApiStub;
  let app: App;
  let dataDir: string;
  // 20 Nov 2024, 07:00 WIB: before the 08:00 digest.
  let now = new Date("2024-11-20T00:00:00Z");

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-clock-"));
    const config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      ACK_REMINDER_HOURS: "24",
      DIGEST_HOUR: "8",
    });
    app = await startApp(config, createLogger({ level: "silent" }), { now: () => now, workerIntervalMs: 0 });
    await app.services.directory.addDestination("18.72", "telegram", String(METRO), { actor: "test" });
    await app.services.directory.addDestination("18", "telegram", String(LAMPUNG), { actor: "test" });
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const texts = (chat: number) => stub.sentTo(chat).map((m) => m.text ?? "");
  const tick = async () => {
    await app.worker.runClock();
    await app.worker.drain();
  };

  it("reminds, then escalates an unacknowledged report, and sends one digest a day", async () => {
    const number = await fileThroughWeb(
      app,
      "web-clock-1",
      tipInputs({ account: "Lurah mengerahkan staf kelurahan untuk memasang baliho calon." }),
    );
    await tick();
    expect(texts(METRO).filter((t) => t.includes(`LAPORAN ${number}`))).toHaveLength(1);
    expect(texts(METRO).some((t) => t.startsWith("🗓️"))).toBe(false); // before 08:00 WIB: no digest yet

    now = new Date(now.getTime() + 25 * HOUR); // 21 Nov, 08:00 WIB
    await tick();
    await tick();
    expect(texts(METRO).filter((t) => t.includes(`Pengingat: laporan ${number}`))).toHaveLength(1);
    expect(texts(METRO).find((t) => t.includes(`Pengingat: laporan ${number}`))).toContain("25 jam");
    const digests = texts(METRO).filter((t) => t.startsWith("🗓️ Ringkasan harian Bawaslu Kota Metro"));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain(number);
    expect(stub.sentTo(LAMPUNG)).toHaveLength(0);

    now = new Date(now.getTime() + 24 * HOUR); // 49 h, 22 Nov
    await tick();
    await tick();
    expect(
      texts(LAMPUNG).filter((t) => t.includes(`LAPORAN ${number} untuk Bawaslu Provinsi Lampung`)),
    ).toHaveLength(1);
    const db = app.services.database.db;
    const [r] = await db.select().from(reports).where(eq(reports.number, number));
    expect(r!.officeCode).toBe("18");
    const events = (await db.select().from(reportEvents).where(eq(reportEvents.reportId, r!.id))).map(
      (e) => e.type,
    );
    expect(events.filter((e) => e === "reminded")).toHaveLength(1);
    expect(events.filter((e) => e === "escalated_unacknowledged")).toHaveLength(1);
    // 22 Nov's digest goes to the office that now holds the report; Kota Metro has none open.
    expect(
      texts(LAMPUNG).filter((t) => t.startsWith("🗓️ Ringkasan harian Bawaslu Provinsi Lampung")),
    ).toHaveLength(1);
    expect(texts(METRO).filter((t) => t.startsWith("🗓️"))).toHaveLength(1);
  });
});
