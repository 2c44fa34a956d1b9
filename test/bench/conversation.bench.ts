/**
 * Conversation steps end to end inside the process: load session, engine step, save (and, on the
 * last step, the report with its outbox rows), on PGlite and on the PostgreSQL server named by
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch database is
 * created and dropped). 200 citizens file a complete tip concurrently. BENCH_ONLY=postgres skips PGlite.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { tipInputs } from "../support/citizen.js";

const FLOW = tipInputs();
const CITIZENS = 200;

async function run(label: string, databaseUrl: string | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), "lapor-bench-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? "",
    WEB_SIMULATOR: "false",
    LOG_LEVEL: "silent",
  });
  const app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 0 });
  const conv = app.conversation;
  // Warm up (JIT, prepared statements).
  for (const [i, input] of FLOW.entries())
    await conv.handle({
      channel: "web",
      chatId: "warmup",
      messageId: `w${i}`,
      receivedAt: new Date(),
      input,
    });
  const latencies: number[] = [];
  const perConversation: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CITIZENS }, async (_, c) => {
      let total = 0;
      for (const [i, input] of FLOW.entries()) {
        const s = performance.now();
        const reply = await conv.handle({
          channel: "web",
          chatId: `c${c}`,
          messageId: `c${c}-${i}`,
          receivedAt: new Date(),
          input,
        });
        const d = performance.now() - s;
        latencies.push(d);
        total += d;
        if (!reply?.outputs.length) throw new Error(`no reply at step ${i}`);
      }
      perConversation.push(total);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  // Latency at a steady load below saturation (open loop): 100 citizens, each sending a message
  // every 400 ms, their conversations staggered so that up to OFFERED steps/s arrive, submits
  // spread among ordinary steps as in real traffic.
  const OFFERED = 250;
  const gap = (100 * 1000) / OFFERED;
  const steady: number[] = [];
  const submits: number[] = [];
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: 100 }, async (_, c) => {
      const start = t1 + (c * FLOW.length * gap) / 100;
      for (const [i, input] of FLOW.entries()) {
        const due = start + i * gap;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const s = performance.now();
        await conv.handle({
          channel: "web",
          chatId: `o${c}`,
          messageId: `o${c}-${i}`,
          receivedAt: new Date(),
          input,
        });
        (i === FLOW.length - 1 ? submits : steady).push(performance.now() - s);
      }
    }),
  );
  steady.sort((a, b) => a - b);
  submits.sort((a, b) => a - b);
  const all = [...steady, ...submits].sort((a, b) => a - b);
  const q = (x: number, list = steady) => list[Math.min(list.length - 1, Math.floor(x * list.length))]!;
  // A single citizen alone: the server time of one whole conversation.
  const s1 = performance.now();
  for (const [i, input] of FLOW.entries())
    await conv.handle({ channel: "web", chatId: "solo", messageId: `s${i}`, receivedAt: new Date(), input });
  const solo = performance.now() - s1;
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  const steps = latencies.length;
  console.log(
    `| conversation steps/s, ${label} (${CITIZENS} citizens at once) | ${Math.round(steps / seconds).toLocaleString("en")} | ≥ 2,000 (Postgres) |`,
  );
  console.log(
    `| step latency p50 / p99 when saturated (200 at once), ${label} | ${p(0.5).toFixed(1)} / ${p(0.99).toFixed(1)} ms | — |`,
  );
  console.log(
    `| step latency p50 / p99 at up to ${OFFERED} steps/s (every step), ${label} | ${q(0.5, all).toFixed(1)} / ${q(0.99, all).toFixed(1)} ms | p99 < 20 ms (Postgres) |`,
  );
  console.log(
    `| ordinary step (no report saved) p50 / p99 at that load, ${label} | ${q(0.5).toFixed(1)} / ${q(0.99).toFixed(1)} ms | — |`,
  );
  console.log(
    `| submit step (report saved, durable commit) p50 / p99 at that load, ${label} | ${q(0.5, submits).toFixed(1)} / ${q(0.99, submits).toFixed(1)} ms | — |`,
  );
  console.log(`| one full complaint (13 messages, alone), ${label} | ${solo.toFixed(0)} ms | < 50 ms |`);
}

if (process.env.BENCH_ONLY !== "postgres") await run("PGlite", undefined);
const base = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `lapor_bench_${randomBytes(4).toString("hex")}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
try {
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  await run("PostgreSQL", url.toString());
} finally {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
