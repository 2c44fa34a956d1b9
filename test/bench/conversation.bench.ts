/**
 * Conversation steps end to end inside the process: load session, engine step, save (and, on the
 * last step, the report with its outbox rows), on PGlite and on the PostgreSQL server named by
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch database is
 * created and dropped; `?host=/var/run/postgresql` goes through the Unix socket). BENCH_ONLY=postgres
 * skips PGlite.
 *
 * Three measurements:
 * - saturated: 200 citizens at once, each filing complete tips back to back (closed loop): the
 *   ceiling in steps/s;
 * - steady load (open loop) at OFFERED steps/s: citizens send a message every 400 ms on a fixed
 *   schedule, their conversations staggered so that report-saving steps are spread among ordinary
 *   ones as in real traffic; latency of every step from send to reply, measured after a ramp-up;
 * - one citizen alone: the server time of one whole complaint (13 messages).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { ConversationService } from "../../src/conversation/service.js";
import { connectPostgres } from "../../src/db/client.js";
import { createLogger } from "../../src/log.js";
import { tipInputs } from "../support/citizen.js";

const FLOW = tipInputs();
const CITIZENS = 200;
const ROUNDS = 4;
/** A citizen's think time between two messages on the steady-load schedule. */
const GAP_MS = 400;
/** How long the steady load is measured, after a ramp-up of one whole conversation. */
const MEASURE_MS = 10_000;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

function send(conv: ConversationService, chatId: string, messageId: string, step: number) {
  return conv.handle({ channel: "web", chatId, messageId, receivedAt: new Date(), input: FLOW[step]! });
}

/** Closed loop: every citizen files tips back to back; resolves to steps/s and latencies. */
async function saturated(conv: ConversationService) {
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    await Promise.all(
      Array.from({ length: CITIZENS }, async (_, c) => {
        for (let i = 0; i < FLOW.length; i++) {
          const s = performance.now();
          const reply = await send(conv, `r${r}c${c}`, `r${r}c${c}-${i}`, i);
          latencies.push(performance.now() - s);
          if (!reply?.outputs.length) throw new Error(`no reply at step ${i}`);
        }
      }),
    );
  }
  const seconds = (performance.now() - t0) / 1000;
  return { rate: latencies.length / seconds, latencies: latencies.sort((a, b) => a - b) };
}

/** Open loop at `offered` steps/s; latencies of ordinary and report-saving steps after ramp-up. */
async function steady(conv: ConversationService, offered: number) {
  const citizens = Math.round((offered * GAP_MS) / 1000);
  const rampMs = FLOW.length * GAP_MS;
  const ordinary: number[] = [];
  const submits: number[] = [];
  let late = 0;
  let lastDone = 0;
  const t0 = performance.now();
  const end = t0 + rampMs + MEASURE_MS;
  await Promise.all(
    Array.from({ length: citizens }, async (_, c) => {
      // Staggered over one conversation's length, so every step of the flow is always in progress.
      const start = t0 + ((c % FLOW.length) + c / citizens) * GAP_MS;
      for (let n = 0; ; n++) {
        const due = start + n * GAP_MS;
        if (due > end) return;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        else if (wait < -GAP_MS) late++;
        const step = n % FLOW.length;
        const s = performance.now();
        await send(conv, `o${c}-${Math.floor(n / FLOW.length)}`, `o${c}-${n}`, step);
        if (due >= t0 + rampMs) {
          lastDone = performance.now();
          (step === FLOW.length - 1 ? submits : ordinary).push(lastDone - s);
        }
      }
    }),
  );
  const all = [...ordinary, ...submits].sort((a, b) => a - b);
  ordinary.sort((a, b) => a - b);
  submits.sort((a, b) => a - b);
  // Steps measured over the time they actually took (longer than MEASURE_MS when the load was too much).
  const achieved = all.length / ((lastDone - (t0 + rampMs)) / 1000);
  return { achieved, all, ordinary, submits, late };
}

async function run(label: string, databaseUrl: string | undefined, offered: number) {
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-bench-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? "",
    WEB_SIMULATOR: "false",
    LOG_LEVEL: "silent",
  });
  const app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 0 });
  const conv = app.conversation;
  // Warm up (JIT, prepared statements on every pooled connection).
  await Promise.all(
    Array.from({ length: 20 }, async (_, c) => {
      for (let i = 0; i < FLOW.length; i++) await send(conv, `warm${c}`, `w${c}-${i}`, i);
    }),
  );
  const cpu0 = process.cpuUsage();
  const sat = await saturated(conv);
  const cpu = process.cpuUsage(cpu0);
  const st = await steady(conv, offered);
  const s1 = performance.now();
  for (let i = 0; i < FLOW.length; i++) await send(conv, "solo", `s${i}`, i);
  const solo = performance.now() - s1;
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });

  const ms = (x: number) => x.toFixed(1);
  const row = (what: string, measured: string, target = "—") =>
    console.log(`| ${what} | ${measured} | ${target} |`);
  const pg = label === "PostgreSQL";
  row(
    `conversation steps/s, ${label}, saturated (${CITIZENS} citizens at once, closed loop)`,
    Math.round(sat.rate).toLocaleString("en"),
    pg ? "≥ 2,000" : "—",
  );
  row(
    `Node CPU per step when saturated, ${label}`,
    `${Math.round((cpu.user + cpu.system) / sat.latencies.length)} µs`,
  );
  row(
    `step latency p50 / p99 when saturated, ${label}`,
    `${ms(quantile(sat.latencies, 0.5))} / ${ms(quantile(sat.latencies, 0.99))} ms`,
  );
  row(
    `steady load: offered ${offered.toLocaleString("en")} steps/s, achieved, ${label}`,
    `${Math.round(st.achieved).toLocaleString("en")} steps/s${st.late ? ` (${st.late} sends behind schedule)` : ""}`,
    pg ? "≥ 2,000" : "—",
  );
  row(
    `steady load: step latency p50 / p99 (every step), ${label}`,
    `${ms(quantile(st.all, 0.5))} / ${ms(quantile(st.all, 0.99))} ms`,
    pg ? "p99 < 20 ms" : "—",
  );
  row(
    `steady load: ordinary step / report-saving step p99, ${label}`,
    `${ms(quantile(st.ordinary, 0.99))} / ${ms(quantile(st.submits, 0.99))} ms`,
  );
  row(`one full complaint (13 messages, alone), ${label}`, `${solo.toFixed(0)} ms`, "< 50 ms");
}

if (process.env.BENCH_ONLY !== "postgres") await run("PGlite", undefined, 500);
const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `lapor_bench_${randomBytes(4).toString("hex")}`;
const admin = connectPostgres(base, { max: 1 });
try {
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  await run("PostgreSQL", url.toString(), 2_000);
} finally {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
