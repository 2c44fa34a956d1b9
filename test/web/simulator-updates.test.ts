/**
 * A web-simulator visitor is kept informed like a Telegram user: when an officer takes the report
 * up, the update is sent through the outbox and the chat page fetches it from /api/sim/:visitor/updates.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { reports } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";

describe("web simulator: updates after the conversation", () => {
  let app: App;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "lapor-webupd-"));
    app = await startApp(
      loadConfig({ DATA_DIR: dataDir, PORT: "0", WEB_SIMULATOR: "true" }),
      createLogger({ level: "silent" }),
      { workerIntervalMs: 0 },
    );
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows the visitor that Bawaslu Kota Metro took the report up, once", async () => {
    const visitor = "web-visitor-updates-1";
    const number = await fileThroughWeb(app, visitor, tipInputs());
    await app.worker.drain();
    const [r] = await app.services.database.db.select().from(reports).where(eq(reports.number, number));
    const { code } = await app.officers.invites.create("18.72", { actor: "test" });
    await app.officers.invites.redeem(code, {
      channel: "telegram",
      chatType: "private",
      chatId: "42",
      userId: "42",
      now: new Date(),
    });
    const ack = app.officers.actions.cardButtons(r!.id, "18.72")[0]!.data;
    expect((await app.officers.actions.press("telegram", "42", ack, new Date())).key).toBe(
      "officer.done_ack",
    );
    await app.worker.drain();

    const get = async (after = 0) =>
      (await fetch(`${app.web!.url}/api/sim/${visitor}/updates?after=${after}`)).json() as Promise<
        { id: number; text: string }[]
      >;
    const updates = await get();
    expect(updates.map((u) => u.text)).toEqual([
      `Bawaslu Kota Metro sedang menindaklanjuti laporan Anda ${number}. Terima kasih sudah melapor.`,
    ]);
    expect(await get(updates[0]!.id)).toEqual([]);
    const stranger = await fetch(`${app.web!.url}/api/sim/someone-else-123/updates`);
    expect(await stranger.json()).toEqual([]);
  });
});
