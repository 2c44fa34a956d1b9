/**
 * 200 citizens file a whole tip at once against the Bot API stand-in with Telegram's limits ON
 * (30 messages/s per bot, a burst of 3 then 1/s per chat, 20/min per group; it counts every send
 * arriving before a `retry_after` has passed). The real program (PGlite, long polling, the one
 * limiter, the reply outbox); the delivery worker is off (its cards would go to one office group at
 * 20/min). Reports: time taken against the physical floor the limits allow (all messages at 30/s;
 * the busiest chat at its own pace), citizens who got their receipt, replies left unsent, sends
 * refused or sent early.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { rowsOf } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { startBotApiStub } from "../support/bot-api-stub.js";
import { ChatWatcher, fileTipOnTelegram } from "../support/telegram-citizen.js";

const TOKEN = "123456:BENCH-token-for-the-limits-run";
const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 200);

const stub = await startBotApiStub({
  token: TOKEN,
  keepLog: false,
  maxMessagesPerChat: 40,
  rateLimit: { globalPerSecond: 30, perChatPerSecond: 1, perChatBurst: 3, perGroupPerMinute: 20 },
});
const watcher = new ChatWatcher(stub);
const dataDir = mkdtempSync(join(tmpdir(), "lapor-bench-limits-"));
const app = await startApp(
  loadConfig({
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: stub.apiRoot,
    WEB_SIMULATOR: "false",
  }),
  createLogger({ level: "silent" }),
  { workerIntervalMs: 0 },
);
const users = Array.from({ length: CITIZENS }, (_, i) => stub.user(`Warga${i}`));
const sendsBefore = stub.stats.totalSends;
const started = performance.now();
const results = await Promise.allSettled(
  users.map((u, i) =>
    fileTipOnTelegram(stub, u, {
      category: "fasilitas_negara",
      account: `Mobil dinas nomor ${i} dipakai mengangkut massa kampanye ke lapangan kota.`,
      timeoutMs: 600_000,
      watcher,
    }),
  ),
);
const seconds = (performance.now() - started) / 1000;
const completed = results.filter((r) => r.status === "fulfilled").length;
const sends = stub.stats.totalSends - sendsBefore;
const perChat = users.map((u) => watcher.messages(u.id).length);
const busiest = Math.max(...perChat);
// The floor: every message at 30/s, and the busiest chat: a burst of 3, then one a second.
const floor = Math.max(sends / 30, busiest - 3);
await new Promise((r) => setTimeout(r, 500));
await app.replies.idle();
const pending = Number(
  rowsOf<{ n: number }>(
    await app.services.database.db.execute(
      sql`select count(*)::int as n from inbound_messages where reply is not null`,
    ),
  )[0]!.n,
);
const s = stub.stats;
const row = (name: string, measured: string, target: string) =>
  console.log(`| ${name} | ${measured} | ${target} |`);
row(
  `telegram limits: ${CITIZENS} citizens file at once`,
  `${completed}/${CITIZENS} receipts in ${seconds.toFixed(1)} s; floor ${floor.toFixed(1)} s (${sends} messages / 30 per s; busiest chat ${busiest}) = ${(seconds / floor).toFixed(2)}× the floor`,
  "all complete, within 1.2× the floor",
);
row(
  "telegram limits: drops and early sends",
  `${pending} replies unsent, ${s.unhonoured429} sends before retry_after, ${s.rateLimitedGlobal} global and ${s.rateLimitedPerChat} per-chat 429s, peak ${s.peakSendsPerSecond}/s`,
  "0 unsent, 0 early",
);
await app.close();
await stub.close();
rmSync(dataDir, { recursive: true, force: true });
