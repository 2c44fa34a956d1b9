/**
 * The whole Telegram journey over HTTP: the real grammY bot (long polling through
 * @grammyjs/runner) talks to the local Bot API stand-in; a citizen files a tip with a photo and a
 * GPS point in Kota Metro; Bawaslu Kota Metro's Telegram group receives the card, the photo's
 * original bytes and the location; the citizen gets a tracking number; the database holds it all.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { evidence, outbox, reportEvents, reports } from "../../src/db/schema/index.js";
import { createLogger } from "../../src/log.js";
import {
  type BotApiStub,
  type SentMessage,
  type StubUser,
  startBotApiStub,
} from "../support/bot-api-stub.js";
import { jpegBytes } from "../support/sample-files.js";

const METRO_GROUP = -100_777;
const PROVINCE_GROUP = -100_888;
const TOKEN = "123456:TEST-token-for-the-local-stand-in";
const PHOTO = jpegBytes(`fake screenshot bytes ${"x".repeat(5000)}`);

describe("Telegram journey against the Bot API stand-in", () => {
  let stub: BotApiStub;
  let app: App;
  let dataDir: string;
  let user: StubUser;

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-tg-"));
    const config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      LOG_LEVEL: "silent",
      DEFAULT_ADMIN_DESTINATION: "telegram:-100999",
    });
    app = await startApp(config, createLogger({ level: "silent" }), { workerIntervalMs: 50 });
    await app.services.directory.addDestination("18.72", "telegram", String(METRO_GROUP), { actor: "test" });
    await app.services.directory.addDestination("18", "telegram", String(PROVINCE_GROUP), { actor: "test" });
    user = stub.user("Sari");
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Waits for the bot's next message to the citizen that carries buttons or matches `text`. */
  const next = (match: RegExp) => stub.waitForMessage(user.id, { match: (m) => match.test(m.text ?? "") });
  const press = async (m: SentMessage, value: string) => {
    stub.pressButton(user, m, `c:${value}`);
  };

  it("a tip with a photo and a GPS pin reaches Bawaslu Kota Metro, with the same bytes", async () => {
    stub.sendCommand(user, "/lapor");
    const welcome = await next(/Pilih cara melapor/);
    await press(welcome, "tip");
    const category = await next(/Apa yang dilakukan ASN/);
    await press(category, "fasilitas_negara");
    await next(/Ceritakan kejadiannya/);
    stub.sendText(user, "Mobil dinas pelat merah dipakai mengangkut massa kampanye paslon 2 ke lapangan.");
    const when = await next(/Kapan kejadiannya/);
    await press(when, "kemarin");
    await next(/Di mana kejadiannya/);
    stub.sendLocation(user, -5.1131, 105.3067);
    const confirm = await next(/Kota Metro, Lampung\?/);
    await press(confirm, "yes");
    const name = await next(/Siapa nama ASN/);
    await press(name, "none");
    const position = await next(/Apa jabatannya/);
    stub.sendText(user, "Kepala Dinas");
    await next(/Di instansi atau kantor mana/);
    stub.sendText(user, "dishub kota metro");
    await next(/PNS atau PPPK/);
    stub.sendText(user, "PNS");
    await next(/Kirim bukti/);
    stub.sendPhoto(user, PHOTO, { caption: "tangkapan layar" });
    const received = await next(/Diterima: 1 file/);
    await press(received, "done");
    const summary = await next(/ringkasan/);
    void position;
    await press(summary, "submit");
    const receipt = await next(/LN-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    const number = /LN-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(receipt.text!)![0];

    // The office group gets the card, then the photo as a document (original bytes), then the location.
    const card = await stub.waitForMessage(METRO_GROUP, {
      fromStart: true,
      match: (m) => (m.text ?? "").includes(number),
    });
    expect(card.text).toContain("Bawaslu Kota Metro");
    expect(card.text).toContain("Menggunakan fasilitas negara");
    expect(card.text).toContain("Dinas Perhubungan Kota Metro");
    expect(card.text).toContain("Pelapor: tidak ditampilkan");
    // Times in the office's zone, named (Kota Metro is on WIB), never UTC.
    expect(card.text).toMatch(/Diterima: \w+, \d{1,2} \w+ \d{4} \d{2}:\d{2} WIB/);
    expect(card.text).not.toContain("UTC");
    const doc = await stub.waitForMessage(METRO_GROUP, {
      fromStart: true,
      match: (m) => m.method === "sendDocument",
    });
    expect(Buffer.compare(stub.fileBytes(doc.fileId!), PHOTO)).toBe(0);
    // Numbered as on the card; on a tip the file is named after the report, not its own name.
    expect(doc.text ?? "").toContain(`${number} · bukti 1/1`);
    expect(card.text).toContain("• Bukti 1: ");
    // A tip's GPS point is the citizen's own position: the office gets the regency, never the point.
    expect(card.text).not.toContain("openstreetmap");
    expect(stub.sentTo(METRO_GROUP).some((m) => m.method === "sendLocation")).toBe(false);
    expect(stub.sentTo(PROVINCE_GROUP)).toHaveLength(0);

    const db = app.services.database.db;
    const [report] = await db.select().from(reports).where(eq(reports.number, number));
    expect(report).toMatchObject({
      track: "tip",
      category: "fasilitas_negara",
      regionCode: "18.72",
      officeCode: "18.72",
      placeSource: "gps",
    });
    const files = await db.select().from(evidence).where(eq(evidence.reportId, report!.id));
    expect(files.map((f) => f.sha256)).toEqual([createHash("sha256").update(PHOTO).digest("hex")]);
    expect(files[0]).toMatchObject({
      channel: "telegram",
      kind: "photo",
      mime: "image/jpeg",
      size: PHOTO.byteLength,
    });
    expect(files[0]!.platformMessageId).toMatch(new RegExp(`^${user.id}:\\d+$`));
    expect(files[0]!.receivedAt.getTime()).toBeLessThan(report!.createdAt.getTime() + 1000);
    await expect
      .poll(async () => (await db.select().from(reports).where(eq(reports.id, report!.id)))[0]!.status)
      .toBe("delivered");
    const jobs = await db.select().from(outbox).where(eq(outbox.reportId, report!.id));
    // Card and photo; no location part on a tip.
    expect(jobs.map((j) => [j.status, j.progress])).toEqual([["done", 2]]);

    // /status from the same contact shows the history; another contact learns nothing.
    stub.sendCommand(user, `/status ${number.toLowerCase()}`);
    const status = await next(/Status sekarang/);
    expect(status.text).toContain("diteruskan ke Bawaslu");
    expect(status.text).toContain("Ditangani: Bawaslu Kota Metro");
    expect(status.text).toMatch(/• \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} WIB: /);
    const stranger = stub.user("Orang Lain");
    stub.sendCommand(stranger, `/status ${number}`);
    const refused = await stub.waitForMessage(stranger.id, { fromStart: true });
    expect(refused.text).toMatch(/tidak kami temukan/);
    const events = await db.select().from(reportEvents).where(eq(reportEvents.reportId, report!.id));
    expect(events.map((e) => e.type)).toEqual(["received", "delivered"]);
  });

  it("ignores a duplicate delivery of the same update and a sticker gets a kind message", async () => {
    const u = stub.user("Dedi");
    const update = stub.sendCommand(u, "/lapor");
    await stub.waitForMessage(u.id, {
      fromStart: true,
      match: (m) => /Pilih cara melapor/.test(m.text ?? ""),
    });
    // The same message delivered again in a new update (as after a webhook retry or a lost offset).
    const { update_id: _first, ...again } = update;
    stub.injectUpdate(again);
    stub.sendSticker(u);
    const reply = await stub.waitForMessage(u.id, {
      fromStart: true,
      match: (m) => /stiker/.test(m.text ?? ""),
    });
    expect(reply.text).toMatch(/stiker belum bisa kami baca/);
    // The duplicate update did not start the flow a second time.
    expect(stub.sentTo(u.id).filter((m) => /Selamat datang di LaporNetral/.test(m.text ?? ""))).toHaveLength(
      1,
    );
  });

  it("sets the command menu in both languages and stays silent in group chats", async () => {
    const commands = [...stub.commands.values()].map((list) => list.map((c) => c.command));
    expect(commands).toContainEqual([
      "start",
      "lapor",
      "status",
      "batal",
      "bantuan",
      "bahasa",
      "langganan",
      "berhenti",
    ]);
    expect([...stub.commands.keys()].some((k) => k.endsWith("|en"))).toBe(true);
    const group = stub.group({ type: "supergroup" });
    const member = stub.user("Anggota");
    stub.sendCommand(member, "/lapor", { chat: group });
    stub.sendText(member, "halo semua", { chat: group });
    // A private message sent after the group messages is answered; by then the group ones were handled.
    stub.sendText(member, "halo");
    await stub.waitForMessage(member.id, { fromStart: true });
    expect(stub.sentTo(group.id)).toHaveLength(0);
  });

  it("a flood of messages from one contact gets one polite notice, and nothing crashes", async () => {
    const u = stub.user("Banjir");
    for (let i = 0; i < 26; i++) stub.sendText(u, `pesan ${i}`);
    await stub.waitFor(
      (r) =>
        r.method === "sendMessage" && r.chatId === u.id && /lambat|banyak sekali/.test(String(r.params.text)),
      { fromStart: true, timeoutMs: 20_000 },
    );
    const texts = stub.sentTo(u.id).map((m) => m.text ?? "");
    expect(texts.filter((t) => /banyak sekali/.test(t))).toHaveLength(1);
  }, 30_000);
});
