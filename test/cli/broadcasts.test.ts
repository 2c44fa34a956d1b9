/**
 * `npm run admin -- broadcasts …` as an admin uses it (in-process, on a PGlite data folder served
 * as the running program serves it, then through the running program's socket):
 * the library, creating a broadcast from a reminder, a refused bad one, start and pause and resume,
 * and the final report after the running program has sent it to a test chat on Telegram (through
 * the Bot API stand-in).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { createLogger } from "../../src/log.js";
import { syncOffices } from "../../src/offices/sync.js";
import { loadRegionCatalog } from "../../src/regions/catalog.js";
import { runAdmin } from "../support/admin-cli.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";

const TOKEN = "515151:TEST-token-for-the-broadcast-cli";
const TEST_CHAT = -100_515;

describe("admin broadcasts command", () => {
  let dataDir: string;
  let stub: BotApiStub;
  let served: DatabaseHandle;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-bcli-"));
    stub = await startBotApiStub({ token: TOKEN });
    served = await openDatabase({ dataDir, share: "serve" });
    await runMigrations(served);
    await syncOffices(served.db, await loadRegionCatalog());
  }, 180_000);
  afterAll(async () => {
    await stub.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates, controls and reports a broadcast that the program then sends", async () => {
    const library = await runAdmin(dataDir, ["broadcasts", "library", "--json"]);
    expect(library.code).toBe(0);
    const reminders = JSON.parse(library.stdout) as { id: string }[];
    expect(reminders.length).toBeGreaterThanOrEqual(8);
    expect(reminders.map((r) => r.id)).toContain("fasilitas_negara");

    const bad = await runAdmin(dataDir, [
      "broadcasts",
      "create",
      "--content",
      "nope",
      "--audience",
      "all",
      "--now",
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown reminder "nope"/);
    const unscheduled = await runAdmin(dataDir, [
      "broadcasts",
      "create",
      "--content",
      "cara_melapor",
      "--audience",
      "all",
    ]);
    expect(unscheduled.code).toBe(1);
    expect(unscheduled.stderr).toMatch(/give exactly one of --now/);

    const created = await runAdmin(dataDir, [
      "broadcasts",
      "create",
      "--content",
      "fasilitas_negara",
      "--audience",
      `test:telegram:${TEST_CHAT}`,
      "--now",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const broadcast = JSON.parse(created.stdout) as { id: number; status: string };
    expect(broadcast.status).toBe("draft");

    const control = async (action: string) => {
      const r = await runAdmin(dataDir, ["broadcasts", action, String(broadcast.id), "--json"]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { status: string }).status;
    };
    expect(await control("start")).not.toMatch(/draft|paused/);
    expect(await control("pause")).toBe("paused");
    expect(await control("resume")).not.toMatch(/draft|paused/);
    await served.close();

    // The running program picks it up and sends it to the test chat, once.
    const app = await startApp(
      loadConfig({
        DATA_DIR: dataDir,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: stub.apiRoot,
        WEB_SIMULATOR: "false",
        LOG_LEVEL: "silent",
      }),
      createLogger({ level: "silent" }),
      { workerIntervalMs: 0, broadcastIntervalMs: 50 },
    );
    try {
      const sent = await stub.waitForMessage(TEST_CHAT, { fromStart: true, timeoutMs: 20_000 });
      expect(sent.text ?? "").toMatch(/fasilitas negara/i);
      await new Promise((r) => setTimeout(r, 300));
      expect(stub.sentTo(TEST_CHAT)).toHaveLength(1);

      // While it runs, through its socket.
      const report = await runAdmin(dataDir, ["broadcasts", "report", String(broadcast.id), "--json"]);
      expect(report.code, report.stderr).toBe(0);
      expect(JSON.parse(report.stdout)).toMatchObject({ total: 1, sent: 1, failed: 0, blocked: 0 });
      const listed = await runAdmin(dataDir, ["broadcasts", "list", "--json"]);
      expect((JSON.parse(listed.stdout) as { id: number }[]).map((b) => b.id)).toEqual([broadcast.id]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
