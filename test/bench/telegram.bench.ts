/**
 * The Telegram path end to end against the local Bot API stand-in (test/support/bot-api-stub.ts):
 * updates are queued in the stand-in, the real app fetches them by long polling through
 * @grammyjs/runner, the conversation service handles them (PGlite, then the PostgreSQL server named
 * by BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres, in a scratch database
 * created and dropped here), and the clock stops when the stand-in has received every reply.
 *
 * 1. Burst: 2,000 new users each send /start then "halo" (4,000 updates queued at once).
 * 2. Walk (PostgreSQL): 200 users at once each file a whole tip (13 inputs: commands, button presses,
 *    texts, a GPS location), each sending its next input once the replies to the previous one arrived.
 *
 * The stand-in runs in this process, so its own HTTP and JSON work is part of the figures. The
 * delivery worker is off. Expected reply counts per input are calibrated first with one user.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import {
  type BotApiStub,
  type RequestRecord,
  type StubUser,
  startBotApiStub,
} from "../support/bot-api-stub.js";

const TOKEN = "123456:BENCH-token-for-the-local-stand-in";
const BURST_USERS = 2_000;
const WALK_USERS = 200;

type Step =
  | { kind: "command"; text: string }
  | { kind: "text"; text: string }
  | { kind: "choice"; value: string }
  | { kind: "location"; lat: number; lon: number };

const BURST: Step[] = [
  { kind: "command", text: "/start" },
  { kind: "text", text: "halo" },
];

/** The tip of test/bench/conversation.bench.ts, as Telegram updates. */
const FLOW: Step[] = [
  { kind: "command", text: "/lapor" },
  { kind: "choice", value: "tip" },
  { kind: "choice", value: "fasilitas_negara" },
  { kind: "text", text: "Mobil dinas dipakai mengangkut massa kampanye ke lapangan kota." },
  { kind: "choice", value: "kemarin" },
  { kind: "location", lat: -5.1131, lon: 105.3067 },
  { kind: "choice", value: "yes" },
  { kind: "choice", value: "none" },
  { kind: "text", text: "Kepala Dinas" },
  { kind: "text", text: "dishub kota metro" },
  { kind: "choice", value: "pns" },
  { kind: "text", text: "tidak ada bukti" },
  { kind: "choice", value: "submit" },
];

const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** Counts the bot's successful sendMessage calls per chat and wakes whoever waits for a count. */
class ReplyCounter {
  readonly counts = new Map<number, number>();
  total = 0;
  lastText = new Map<number, string>();
  private readonly waits = new Map<number, Array<{ target: number; resolve: () => void }>>();
  private totalWait: { target: number; resolve: () => void } | undefined;

  constructor(stub: BotApiStub) {
    stub.onRequest((r) => this.onRequest(r));
  }

  private onRequest(r: RequestRecord): void {
    if (r.method !== "sendMessage" || !r.ok || typeof r.chatId !== "number") return;
    const chat = r.chatId;
    const n = (this.counts.get(chat) ?? 0) + 1;
    this.counts.set(chat, n);
    this.lastText.set(chat, r.sent?.[0]?.text ?? "");
    this.total++;
    const ws = this.waits.get(chat);
    if (ws) {
      const still = ws.filter((w) => {
        if (n < w.target) return true;
        w.resolve();
        return false;
      });
      if (still.length) this.waits.set(chat, still);
      else this.waits.delete(chat);
    }
    if (this.totalWait && this.total >= this.totalWait.target) {
      this.totalWait.resolve();
      this.totalWait = undefined;
    }
  }

  count(chat: number): number {
    return this.counts.get(chat) ?? 0;
  }

  /** Resolves once `chat` has received `target` messages in all; rejects after `timeoutMs`. */
  waitChat(chat: number, target: number, timeoutMs: number): Promise<void> {
    if (this.count(chat) >= target) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => {
        const ws = this.waits.get(chat) ?? [];
        ws.push({ target, resolve });
        this.waits.set(chat, ws);
      }),
      timeoutMs,
      () => `chat ${chat}: ${this.count(chat)} of ${target} replies`,
    );
  }

  /** Resolves once `target` messages were sent over all chats; rejects after `timeoutMs`. */
  waitTotal(target: number, timeoutMs: number): Promise<void> {
    if (this.total >= target) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => {
        this.totalWait = { target, resolve };
      }),
      timeoutMs,
      () => `${this.total} of ${target} replies`,
    );
  }

  /** Waits until `chat` got at least one more message than `before` and then nothing for `quietMs`. */
  async settle(chat: number, before: number, quietMs = 150): Promise<number> {
    await this.waitChat(chat, before + 1, 10_000);
    for (;;) {
      const n = this.count(chat);
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.count(chat) === n) return n - before;
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what()}`)), ms);
    }),
  ]);
}

/** Injects one step as the Telegram update a real user would cause. */
function inject(stub: BotApiStub, user: StubUser, step: Step): void {
  switch (step.kind) {
    case "command":
      stub.sendCommand(user, step.text);
      return;
    case "text":
      stub.sendText(user, step.text);
      return;
    case "location":
      stub.sendLocation(user, step.lat, step.lon);
      return;
    case "choice": {
      // Press the button on the newest message that has it (as a person would); else force it
      // on the newest message of the chat.
      const data = `c:${step.value}`;
      const sent = stub.sentTo(user.id).filter((m) => !m.deleted);
      const withButton = sent.findLast((m) =>
        (
          (m.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)
            ?.inline_keyboard ?? []
        )
          .flat()
          .some((b) => b.callback_data === data),
      );
      const target = withButton ?? sent.at(-1);
      if (!target) throw new Error(`no message to press ${data} on in chat ${user.id}`);
      stub.pressButton(user, target, data, { force: !withButton });
      return;
    }
  }
}

/** One user walks `steps` alone, waiting for quiet after each: how many replies each step gets. */
async function calibrate(
  stub: BotApiStub,
  counter: ReplyCounter,
  steps: Step[],
): Promise<{ perStep: number[]; user: StubUser }> {
  const user = stub.user("Kalibrasi");
  const perStep: number[] = [];
  for (const step of steps) {
    const before = counter.count(user.id);
    inject(stub, user, step);
    perStep.push(await counter.settle(user.id, before));
  }
  return { perStep, user };
}

interface Running {
  app: App;
  stub: BotApiStub;
  counter: ReplyCounter;
  close(): Promise<void>;
}

async function start(databaseUrl: string | undefined): Promise<Running> {
  const stub = await startBotApiStub({ token: TOKEN, keepLog: false });
  const counter = new ReplyCounter(stub);
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-bench-tg-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? "",
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: stub.apiRoot,
    WEB_SIMULATOR: "false",
    LOG_LEVEL: "silent",
  });
  const app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 0 });
  return {
    app,
    stub,
    counter,
    async close() {
      await app.close();
      await stub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Scenario 1: every update queued at once; seconds until every reply reached the stand-in. */
async function burst(run: Running, label: string): Promise<void> {
  const { stub, counter } = run;
  const { perStep } = await calibrate(stub, counter, BURST);
  const perUser = perStep.reduce((a, b) => a + b, 0);
  const users = Array.from({ length: BURST_USERS }, (_, i) => stub.user(`Warga${i}`));
  const target = counter.total + users.length * perUser;
  const t0 = performance.now();
  for (const u of users) for (const step of BURST) inject(stub, u, step);
  const injectedMs = performance.now() - t0;
  await counter.waitTotal(target, 120_000);
  const seconds = (performance.now() - t0) / 1000;
  const short = users.filter((u) => counter.count(u.id) !== perUser).length;
  if (short) throw new Error(`${short} users did not get exactly ${perUser} replies`);
  const inbound = users.length * BURST.length;
  console.log(
    `| Telegram inbound messages/s end to end, ${label} (${fmt(BURST_USERS)} users × ${BURST.length} messages) | ${fmt(inbound / seconds)} | ≥ 500 |`,
  );
  console.error(
    `  [${label}] burst: ${inbound} updates queued in ${injectedMs.toFixed(0)} ms, all ${users.length * perUser} replies after ${seconds.toFixed(2)} s (replies per user: ${perStep.join("+")})`,
  );
}

/** Scenario 2: users walk the tip step by step at once; messages/s and the reply round trip. */
async function walk(run: Running, label: string): Promise<void> {
  const { stub, counter } = run;
  const { perStep, user } = await calibrate(stub, counter, FLOW);
  const last = counter.lastText.get(user.id) ?? "";
  if (!/LN-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(last))
    throw new Error(`the calibration tip got no tracking number: ${JSON.stringify(last)}`);
  const users = Array.from({ length: WALK_USERS }, (_, i) => stub.user(`Pelapor${i}`));
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    users.map(async (u) => {
      let expected = counter.count(u.id);
      for (const [i, step] of FLOW.entries()) {
        expected += perStep[i]!;
        const s = performance.now();
        inject(stub, u, step);
        await counter.waitChat(u.id, expected, 60_000);
        latencies.push(performance.now() - s);
      }
      if (!/LN-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(counter.lastText.get(u.id) ?? ""))
        throw new Error(`user ${u.id} got no tracking number`);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const inbound = users.length * FLOW.length;
  console.log(
    `| Telegram full tip complaints, ${label} (${WALK_USERS} users × ${FLOW.length} messages): messages/s | ${fmt(inbound / seconds)} | — |`,
  );
  console.log(
    `| Telegram reply round trip p50 / p99 during the tips, ${label} | ${p(0.5).toFixed(0)} / ${p(0.99).toFixed(0)} ms | — |`,
  );
  console.error(
    `  [${label}] walk: ${WALK_USERS} tips in ${seconds.toFixed(2)} s (replies per step: ${perStep.join(",")})`,
  );
}

const pglite = await start(undefined);
try {
  await burst(pglite, "PGlite");
} finally {
  await pglite.close();
}

const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `lapor_bench_${randomBytes(4).toString("hex")}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pg = await start(url.toString());
  try {
    await burst(pg, "PostgreSQL");
    await walk(pg, "PostgreSQL");
  } finally {
    await pg.close();
  }
} finally {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
process.exit(0);
