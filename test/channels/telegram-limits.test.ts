/**
 * Every reply arrives, in order, however busy Telegram is: the real program (long polling, the
 * conversation service, the reply outbox, the one limiter of the bot) against the Bot API
 * stand-in with Telegram's limits ON (30 messages/s per bot, a short burst then 1/s per chat,
 * 20/min per group), which counts every send that arrives before a `retry_after` has passed.
 *
 * - many citizens filing at once all get their receipt; nothing refused for over-sending, no send
 *   before a `retry_after`, no reply left unsent;
 * - ten 502s at the summary, then Kirim: the receipt still arrives;
 * - the program stops while Telegram refuses the receipt: it arrives after the restart, once;
 * - a citizen typing quickly while Telegram answers 429: the replies come in order;
 * - a long `retry_after` for one chat does not delay another chat.
 *
 * The 200-citizen run is in the benchmark (`npm run bench -- telegram-limits`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { rowsOf } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { type BotApiStub, type StubUser, startBotApiStub } from "../support/bot-api-stub.js";
import { ChatWatcher, fileTipOnTelegram } from "../support/telegram-citizen.js";

const TOKEN = "424242:TEST-token-for-the-limits-test";
const logger = createLogger({ level: "silent" });
/** Telegram's limits, as the stand-in enforces them. */
const TELEGRAM_LIMITS = { globalPerSecond: 30, perChatPerSecond: 1, perChatBurst: 3, perGroupPerMinute: 20 };
const CITIZENS = 12;
const BAD_GATEWAY = { error_code: 502, description: "Bad Gateway" };

describe("Telegram replies under the platform's limits", () => {
  let stub: BotApiStub;
  let watcher: ChatWatcher;
  let dataDir: string;
  let config: Config;
  let app: App;

  /** Replies still saved as unsent, once the sends in progress had time to be marked (10 s at most). */
  const pendingReplies = async (a: App) => {
    let n = -1;
    for (let i = 0; i < 100 && n !== 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      await a.replies.idle();
      n = Number(
        rowsOf<{ n: number }>(
          await a.services.database.db.execute(
            sql`select count(*)::int as n from inbound_messages where reply is not null`,
          ),
        )[0]!.n,
      );
    }
    return n;
  };
  const texts = (u: StubUser) => watcher.messages(u.id).map((m) => m.text ?? "");

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN, rateLimit: TELEGRAM_LIMITS });
    watcher = new ChatWatcher(stub);
    dataDir = mkdtempSync(join(tmpdir(), "lapor-tgl-"));
    config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      LOG_LEVEL: "silent",
    });
    app = await startApp(config, logger, { workerIntervalMs: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`${CITIZENS} citizens filing at once all get their receipt; nothing over-sent, nothing early, nothing left`, async () => {
    const users = Array.from({ length: CITIZENS }, (_, i) => stub.user(`Warga${i}`));
    const numbers = await Promise.all(
      users.map((u, i) =>
        fileTipOnTelegram(stub, u, {
          category: "fasilitas_negara",
          account: `Mobil dinas nomor ${i} dipakai mengangkut massa kampanye ke lapangan kota.`,
          timeoutMs: 120_000,
          watcher,
        }),
      ),
    );
    expect(new Set(numbers).size).toBe(CITIZENS);
    // The limiter kept within Telegram's limits by itself: Telegram never had to refuse a send.
    expect(stub.stats).toMatchObject({ unhonoured429: 0, rateLimitedGlobal: 0, rateLimitedPerChat: 0 });
    expect(stub.stats.peakSendsPerSecond).toBeLessThanOrEqual(30);
    expect(await pendingReplies(app)).toBe(0);
  }, 300_000);

  it("ten 502s in a row at the summary, then Kirim: the receipt still arrives", async () => {
    const u = stub.user("Gateway");
    const number = await fileTipOnTelegram(stub, u, {
      category: "medsos_kampanye",
      account: "Camat membagikan unggahan kampanye paslon di akun Facebook pribadinya kemarin.",
      timeoutMs: 60_000,
      watcher,
      beforeSubmit: () => stub.failNext("sendMessage", BAD_GATEWAY, 10),
    });
    expect(number).toMatch(/^LN-/);
    expect(stub.requests.filter((r) => r.error_code === 502)).toHaveLength(10);
    expect(texts(u).filter((t) => t.includes(number))).toHaveLength(1);
  }, 180_000);

  it("a citizen typing quickly while Telegram answers 429 gets the replies in order", async () => {
    const u = stub.user("Cepat");
    stub.failNext(
      "sendMessage",
      { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
      2,
    );
    stub.sendCommand(u, "/lapor");
    stub.sendText(u, "batal");
    stub.sendCommand(u, "/lapor");
    await watcher.next(u.id, /dibatalkan/, 30_000);
    await watcher.next(u.id, /Pilih cara melapor/, 30_000);
    const order = texts(u).map((t) =>
      /Pilih cara melapor/.test(t) ? "menu" : /dibatalkan/.test(t) ? "batal" : "other",
    );
    expect(order.filter((x) => x !== "other")).toEqual(["menu", "batal", "menu"]);
    expect(stub.stats.unhonoured429).toBe(0);
  }, 120_000);

  it("a long retry_after for one chat does not delay another chat", async () => {
    const slow = stub.user("Lambat");
    const quick = stub.user("Cepat2");
    stub.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 8",
      parameters: { retry_after: 8 },
    });
    stub.sendCommand(slow, "/lapor");
    await stub.waitFor((r) => r.chatId === slow.id && r.error_code === 429, {
      fromStart: true,
      timeoutMs: 20_000,
    });
    stub.sendCommand(quick, "/lapor");
    await watcher.next(quick.id, /Pilih cara melapor/, 20_000);
    // The other chat was answered while this one still waits out its retry_after.
    expect(texts(slow)).toEqual([]);
    await watcher.next(slow.id, /Pilih cara melapor/, 30_000);
    expect(stub.stats.unhonoured429).toBe(0);
  }, 120_000);

  it("the program stops while Telegram refuses the receipt: it arrives after the restart, once", async () => {
    const u = stub.user("Mulai");
    stub.failChat(u.id, null);
    const receipt = fileTipOnTelegram(stub, u, {
      category: "fasilitas_negara",
      account: "Kepala sekolah negeri memakai aula sekolah untuk rapat tim kampanye paslon.",
      timeoutMs: 60_000,
      receiptTimeoutMs: 120_000,
      watcher,
      beforeSubmit: () => stub.failChat(u.id, BAD_GATEWAY),
    });
    // The report (and its receipt, unsent) is saved; Telegram keeps answering 502 for this chat.
    const db = app.services.database.db;
    for (let i = 0; i < 600; i++) {
      const n = rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from reports r join contacts c on c.id = r.contact_id
          where c.external_id = ${String(u.id)}`),
      )[0]!.n;
      if (n > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await stub.waitFor((r) => r.chatId === u.id && r.error_code === 502, {
      fromStart: true,
      timeoutMs: 20_000,
    });
    await app.close();
    stub.failChat(u.id, null);
    app = await startApp({ ...config, REPLY_RECOVER_AFTER_SECONDS: 0 }, logger, { workerIntervalMs: 0 });
    const number = await receipt;
    expect(texts(u).filter((t) => t.includes(number))).toHaveLength(1);
    const saved = rowsOf<{ n: number }>(
      await app.services.database.db.execute(
        sql`select count(*)::int as n from reports where number = ${number}`,
      ),
    );
    expect(saved[0]!.n).toBe(1);
    expect(await pendingReplies(app)).toBe(0);
  }, 300_000);
});
