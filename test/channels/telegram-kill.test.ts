/**
 * A report the citizen confirmed is never lost: the real program (`src/main.ts`, a child process)
 * saves a Telegram report and is killed with SIGKILL before its delivery worker runs; a new
 * process on the same data delivers it to the office group exactly once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { reports } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { openServices } from "../../src/services.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { fileTipOnTelegram } from "../support/telegram-citizen.js";

const TOKEN = "888888:TEST-token-for-the-kill-test-only";
const GROUP = -100_321;
const logger = createLogger({ level: "silent" });

describe("killing the process after the report is saved", () => {
  let stub: BotApiStub;
  let dataDir: string;
  let child: ChildProcess | undefined;
  let app: App | undefined;

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-kill-"));
    const env = { DATA_DIR: dataDir, WEB_SIMULATOR: "false" };
    const services = await openServices(loadConfig(env), logger);
    await services.directory.addDestination("18.72", "telegram", String(GROUP), { actor: "test" });
    await services.close();
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    await app?.close();
    await stub.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("the report is delivered once by the next process", async () => {
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: "",
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: stub.apiRoot,
        WEB_SIMULATOR: "false",
        LOG_LEVEL: "info",
        // The worker looks once at start-up (nothing to do yet), then not for an hour.
        DELIVERY_POLL_MS: "3600000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toMatch(/LaporNetral started/);

    const number = await fileTipOnTelegram(stub, stub.user("Tahan"), {
      category: "hadir_kampanye",
      account: "Kepala sekolah hadir di deklarasi paslon dan berfoto memakai kaos partai.",
      timeoutMs: 20_000,
    });

    child.kill("SIGKILL");
    // "close", not "exit": only then has everything the child wrote been read from its pipes.
    await new Promise((r) => child!.once("close", r));
    // The receipt came, so the report was on disk (a log line written just before may be lost to
    // SIGKILL: logs are written asynchronously). Nothing reached the office yet.
    expect(out).toMatch(/flow complaint started/);
    expect(stub.sentTo(GROUP)).toHaveLength(0);

    app = await startApp(
      loadConfig({
        DATA_DIR: dataDir,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: stub.apiRoot,
        WEB_SIMULATOR: "false",
      }),
      logger,
      {
        workerIntervalMs: 50,
      },
    );
    const saved = await app.services.database.db
      .select({ number: reports.number })
      .from(reports)
      .where(eq(reports.number, number));
    expect(saved).toEqual([{ number }]);
    await stub.waitForMessage(GROUP, {
      fromStart: true,
      timeoutMs: 20_000,
      match: (m) => (m.text ?? "").includes(number),
    });
    // The card (a tip's GPS point is never sent); and nothing twice, however long the worker keeps running.
    await new Promise((r) => setTimeout(r, 1500));
    // (The new process may also send the office its daily digest, which lists the number too.)
    const sent = stub.sentTo(GROUP);
    expect(sent.filter((m) => (m.text ?? "").startsWith(`📋 LAPORAN ${number}`))).toHaveLength(1);
    expect(sent.filter((m) => m.method === "sendLocation")).toHaveLength(0);
  }, 120_000);
});
