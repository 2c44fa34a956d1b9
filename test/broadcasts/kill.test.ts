/**
 * Killing the sender mid-broadcast: a child process runs the real dispatcher against the Bot API
 * stand-in and is killed with SIGKILL in the middle of a page; a second process finishes the run.
 * Nobody gets the broadcast twice; everyone else gets it; the rows the dead sender had claimed
 * (its last page: some sent, some not, nobody can tell) are never resent and end as `interrupted`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCalendar } from "../../src/broadcasts/calendar.js";
import { createBroadcast, runStatusCounts, startBroadcast } from "../../src/broadcasts/control.js";
import { sweepInterrupted } from "../../src/broadcasts/dispatcher.js";
import { loadLibrary } from "../../src/broadcasts/library.js";
import { BroadcastScheduler } from "../../src/broadcasts/scheduler.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";
import { broadcastDeliveries } from "../../src/db/schema/index.js";
import { type BotApiStub, startBotApiStub } from "../support/bot-api-stub.js";
import { freshDatabase, testDrivers } from "../support/db.js";
import { seedSubscribers, silent } from "./support.js";

const TOKEN = "737373:TEST-token-for-the-broadcast-kill-test";
const RECIPIENTS = 150;
const PAGE = 25;

describe.each(testDrivers())("killing the sender mid-broadcast on %s", (driver) => {
  let stub: BotApiStub;
  let dataDir: string;
  let pg: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  const children: ChildProcess[] = [];
  const open = async (): Promise<DatabaseHandle> =>
    pg ? openDatabase({ databaseUrl: pg.url! }) : openDatabase({ dataDir });
  const spawnSender = () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/broadcasts/sender-child.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: pg?.url ?? "",
        DATA_DIR: dataDir,
        TOKEN,
        API_ROOT: stub.apiRoot,
        RATE: "40",
        PAGE: String(PAGE),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    return { child, output: () => out };
  };
  let runId = 0;

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN, keepLog: false });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-bckill-"));
    if (driver === "postgres") pg = await freshDatabase(driver);
    const h = await open();
    if (!pg) await runMigrations(h);
    await seedSubscribers(h.db, RECIPIENTS, { scope: "national" }, 50_001);
    const b = await createBroadcast(
      h.db,
      { contentId: "pasang_apk", audience: "all", schedule: { kind: "now" }, createdBy: "test" },
      {
        library: loadLibrary("flows/broadcasts"),
        calendar: loadCalendar("flows/calendar/elections.yaml"),
        regionExists: () => true,
      },
    );
    await startBroadcast(h.db, b.id, "test");
    const scheduler = new BroadcastScheduler({
      db: h.db,
      calendar: loadCalendar("flows/calendar/elections.yaml"),
      logger: silent,
      leaseMs: 600_000,
    });
    const [run] = await scheduler.tick();
    runId = run!.runId;
    await h.close();
  });
  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    await stub?.close();
    await pg?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("resumes in a new process without sending anyone the run twice", async () => {
    const first = spawnSender();
    // Kill it in the middle of its third page.
    await expect
      .poll(() => stub.stats.totalSends, { timeout: 60_000, interval: 5 })
      .toBeGreaterThanOrEqual(2 * PAGE + 8);
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    const sentBeforeKill = stub.stats.totalSends;
    expect(sentBeforeKill).toBeLessThan(RECIPIENTS);

    const second = spawnSender();
    const code = await new Promise<number | null>((r) => second.child.once("exit", r));
    expect(second.output()).toMatch(/drained/);
    expect(code).toBe(0);

    const h = await open();
    try {
      const rows = await h.db.select().from(broadcastDeliveries).where(eq(broadcastDeliveries.runId, runId));
      expect(rows).toHaveLength(RECIPIENTS);
      const stuck = rows.filter((r) => r.status === "sending");
      // Only the dead sender's last page can be in doubt.
      expect(stuck.length).toBeGreaterThan(0);
      expect(stuck.length).toBeLessThanOrEqual(PAGE);
      expect(rows.filter((r) => r.status === "pending")).toHaveLength(0);
      // Nobody twice; every row recorded as sent arrived; every row not in doubt arrived.
      expect(stub.stats.duplicates).toBe(0);
      for (const r of rows) {
        const got = stub.stats.byChat.get(Number(r.address)) ?? 0;
        expect(got).toBeLessThanOrEqual(1);
        if (r.status === "sent") expect(got).toBe(1);
      }
      expect(rows.filter((r) => r.status === "sent").length + stuck.length).toBe(RECIPIENTS);
      // After the lease the doubtful rows become "interrupted", and are still not resent.
      const later = new Date(Date.now() + 601_000);
      expect(await sweepInterrupted(h.db, later, 600_000)).toBe(stuck.length);
      const counts = await runStatusCounts(h.db, runId);
      expect(counts).toEqual({ sent: RECIPIENTS - stuck.length, interrupted: stuck.length });
      expect(stub.stats.totalSends).toBeLessThanOrEqual(RECIPIENTS);
    } finally {
      await h.close();
    }
  });
});
