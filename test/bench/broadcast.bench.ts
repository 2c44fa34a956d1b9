/**
 * Broadcasts against the local Bot API stand-in (test/support/bot-api-stub.ts, in this process), on
 * the PostgreSQL server named by BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * in a scratch database created and dropped here. The real dispatcher, limiter and Telegram sender.
 *
 * 1. The stand-in enforcing 30 messages/s overall and 1/s per chat: 10,000 recipients; average rate
 *    from the first send to the last, 429s left unhonoured, duplicates.
 * 2. The stand-in's limits off, our limiter off: the sender's own ceiling (20,000 recipients).
 * 3. Memory (RSS and heap, sampled every 250 ms) while sending to 100,000 recipients, limits off.
 *
 * Sizes can be lowered for a quick check: BENCH_BROADCAST_LIMITED, BENCH_BROADCAST_CEILING,
 * BENCH_BROADCAST_MEMORY.
 */
import { randomBytes } from "node:crypto";
import { Api } from "grammy";
import postgres from "postgres";
import { BroadcastDispatcher } from "../../src/broadcasts/dispatcher.js";
import { RateLimiter, type RateLimitSettings } from "../../src/broadcasts/rate-limiter.js";
import { createRun } from "../../src/broadcasts/scheduler.js";
import { TelegramBroadcastSender } from "../../src/broadcasts/telegram-sender.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { broadcasts } from "../../src/db/schema/index.js";
import { loadLocales } from "../../src/engine/locale.js";
import { createLogger } from "../../src/log.js";
import { seedSubscribers } from "../broadcasts/support.js";
import { type RateLimitOptions, startBotApiStub } from "../support/bot-api-stub.js";

const TOKEN = "424242:BENCH-token-for-broadcast-benchmarks";
const LIMITED = Number(process.env.BENCH_BROADCAST_LIMITED ?? 10_000);
const CEILING = Number(process.env.BENCH_BROADCAST_CEILING ?? 20_000);
const MEMORY = Number(process.env.BENCH_BROADCAST_MEMORY ?? 100_000);
const fmt = (n: number, d = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
const mb = (b: number) => b / 1024 / 1024;
const locales = loadLocales("flows/locales");
const logger = createLogger({ level: "silent" });
let firstChat = 1_000_000;

async function scenario(
  h: DatabaseHandle,
  n: number,
  stubLimits: RateLimitOptions | undefined,
  limits: RateLimitSettings,
  onTick?: () => void,
) {
  const stub = await startBotApiStub({
    token: TOKEN,
    keepLog: false,
    maxStoredMessages: 0,
    ...(stubLimits ? { rateLimit: stubLimits } : {}),
  });
  await h.db.execute(
    `update broadcast_subscribers set opted_out_at = now(), opted_out_via = 'admin' where opted_out_at is null`,
  );
  await seedSubscribers(h.db, n, { scope: "national" }, firstChat);
  firstChat += n;
  const [b] = await h.db
    .insert(broadcasts)
    .values({
      name: "bench",
      textId: "*Pengingat* netralitas ASN. Ketik /lapor.",
      textEn: "*Reminder*. Type /lapor.",
      audience: "all",
      schedule: { kind: "now" },
      status: "active",
      startedAt: new Date(),
      createdBy: "bench",
    })
    .returning();
  await createRun(h.db, b!, new Date());
  const dispatcher = new BroadcastDispatcher({
    db: h.db,
    senders: [new TelegramBroadcastSender(new Api(TOKEN, { apiRoot: stub.apiRoot }))],
    limiters: { telegram: new RateLimiter(limits) },
    locales,
    logger,
  });
  let first = 0;
  stub.onRequest(() => {
    if (!first) first = performance.now();
  });
  const sampler = onTick ? setInterval(onTick, 250) : undefined;
  await dispatcher.drain();
  const seconds = (performance.now() - first) / 1000;
  if (sampler) clearInterval(sampler);
  const stats = { ...stub.stats };
  await stub.close();
  return { seconds, rate: n / seconds, stats, chats: stats.byChat.size };
}

const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `lapor_bench_bc_${randomBytes(4).toString("hex")}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
const h = await openDatabase({ databaseUrl: url.toString(), maxConnections: 5 });
try {
  await runMigrations(h);

  const limited = await scenario(
    h,
    LIMITED,
    { globalPerSecond: 30, perChatPerSecond: 1 },
    { perSecond: 30, perChatIntervalMs: 1000 },
  );
  console.log(
    `| broadcast: ${fmt(LIMITED)} recipients, stand-in at 30 msg/s: average rate | ${fmt(limited.rate, 2)} msg/s | ≥ 28.5 msg/s |`,
  );
  console.log(
    `| broadcast at 30 msg/s: 429 answered / unhonoured / duplicates / chats reached | ${limited.stats.rateLimited} / ${limited.stats.unhonoured429} / ${limited.stats.duplicates} / ${fmt(limited.chats)} | — / 0 / 0 / ${fmt(LIMITED)} |`,
  );

  const ceiling = await scenario(h, CEILING, undefined, {
    perSecond: Number.POSITIVE_INFINITY,
    maxConcurrent: 256,
  });
  console.log(
    `| broadcast: sender ceiling, limits off (${fmt(CEILING)} recipients) | ${fmt(ceiling.rate)} msg/s | ≥ 2,000 msg/s |`,
  );

  const rss: number[] = [];
  const heap: number[] = [];
  const sample = () => {
    const m = process.memoryUsage();
    rss.push(mb(m.rss));
    heap.push(mb(m.heapUsed));
  };
  sample();
  const memory = await scenario(
    h,
    MEMORY,
    undefined,
    { perSecond: Number.POSITIVE_INFINITY, maxConcurrent: 256 },
    sample,
  );
  sample();
  const spread = (xs: number[]) => {
    const tail = xs.slice(Math.floor(xs.length / 4));
    return `${fmt(xs[0]!)} → max ${fmt(Math.max(...tail))} / min ${fmt(Math.min(...tail))} → ${fmt(xs.at(-1)!)} MB`;
  };
  console.log(
    `| broadcast: ${fmt(MEMORY)} recipients, RSS start → (after warm-up) max / min → end | ${spread(rss)} | flat |`,
  );
  console.log(
    `| broadcast: ${fmt(MEMORY)} recipients, heap start → (after warm-up) max / min → end | ${spread(heap)} | flat |`,
  );
  console.log(
    `| broadcast: ${fmt(MEMORY)} recipients, limits off, rate / duplicates | ${fmt(memory.rate)} msg/s / ${memory.stats.duplicates} | — / 0 |`,
  );
} finally {
  await h.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
