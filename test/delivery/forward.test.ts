/**
 * `/teruskan` over the Bot API stand-in: forwarding follows the routing chain like a new report,
 * and the officer always gets an answer: to a place whose chain has no connected office, and to a
 * place whose report would come back to the same office, they are told why and the report stays.
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
import { type BotApiStub, type StubUser, startBotApiStub } from "../support/bot-api-stub.js";
import { fileThroughWeb, tipInputs } from "../support/citizen.js";

const TOKEN = "777777:TEST-token-for-the-forward-tests";

describe("/teruskan always answers", { timeout: 60_000 }, () => {
  let stub: BotApiStub;
  let app: App;
  let dataDir: string;
  let officer: StubUser;
  let office: ReturnType<BotApiStub["group"]>;
  let number: string;

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-fwd-"));
    const config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
    });
    app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 50 });
    officer = stub.user("Petugas");
    office = stub.group({ type: "supergroup", title: "Petugas Bawaslu Kota Metro" });
    const { code } = await app.officers.invites.create("18.72", { maxUses: 2, actor: "test" });
    stub.sendCommand(officer, `/petugas ${code}`, { chat: office });
    await stub.waitForMessage(office.id, {
      fromStart: true,
      match: (m) => /sekarang menerima laporan/.test(m.text ?? ""),
    });
    stub.sendCommand(officer, `/petugas ${code}`);
    await stub.waitForMessage(officer.id, {
      fromStart: true,
      match: (m) => /terdaftar sebagai petugas/.test(m.text ?? ""),
    });
    number = await fileThroughWeb(
      app,
      "visitor-fwd",
      tipInputs({ place: { kind: "text", text: "kota metro" } }),
    );
    await stub.waitForMessage(office.id, {
      fromStart: true,
      match: (m) => (m.text ?? "").includes(`LAPORAN ${number}`),
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const answer = (re: RegExp) =>
    stub.waitForMessage(office.id, {
      fromStart: true,
      match: (m) => re.test(m.text ?? ""),
      timeoutMs: 15_000,
    });
  const held = async () =>
    (await app.services.database.db.select().from(reports).where(eq(reports.number, number)))[0]!;

  it("to a place with no connected office (nor its province, nor Bawaslu RI): told why, the report stays", async () => {
    stub.sendCommand(officer, `/teruskan ${number} kota solok - terjadi di Solok`, { chat: office });
    const m = await answer(
      new RegExp(`Laporan ${number} tidak dipindahkan: belum ada kantor Bawaslu untuk Kota Solok`),
    );
    expect(m.text).toContain("minta admin");
    expect((await held()).officeCode).toBe("18.72");
    expect((await held()).status).toBe("delivered");
  });

  it("to a place whose report would come to this same office: told so, the report stays", async () => {
    stub.sendCommand(officer, `/teruskan ${number} kota metro`, { chat: office });
    await answer(
      new RegExp(
        `Laporan ${number} tidak dipindahkan: untuk Kota Metro, laporan baru pun akan sampai ke kantor ini`,
      ),
    );
    expect((await held()).officeCode).toBe("18.72");
  });

  it("without a place: asked for one", async () => {
    stub.sendCommand(officer, `/teruskan ${number}`, { chat: office });
    await answer(/Tulis tempat tujuannya: \/teruskan NOMOR TEMPAT - ALASAN/);
  });

  it("to a place whose own office is not connected: follows the chain to its province", async () => {
    const lampung = stub.group({ type: "supergroup", title: "Bawaslu Provinsi Sumatera Barat" });
    await app.services.directory.addDestination("13", "telegram", String(lampung.id), { actor: "test" });
    stub.sendCommand(officer, `/teruskan ${number} kota solok - terjadi di Solok`, { chat: office });
    await answer(new RegExp(`Laporan ${number} diteruskan ke Bawaslu Provinsi Sumatera Barat`));
    // The card may reach the new office before the officer's answer: look from the start.
    await stub.waitForMessage(lampung.id, {
      fromStart: true,
      match: (m) => (m.text ?? "").includes(`LAPORAN ${number}`),
      timeoutMs: 15_000,
    });
    expect((await held()).officeCode).toBe("13");
  });
});
