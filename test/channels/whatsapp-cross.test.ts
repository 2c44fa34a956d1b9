/**
 * Across channels, in one app with both Telegram (the Bot API stand-in) and WhatsApp Web (the fake
 * client): a report filed on WhatsApp is delivered to a Telegram office group with the same
 * evidence bytes, and a report filed on Telegram is delivered to a WhatsApp office chat with the
 * same bytes.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidence, reports } from "../../src/db/schema/index.js";
import { type BotApiStub, type SentMessage, startBotApiStub } from "../support/bot-api-stub.js";
import { TRACKING_NUMBER } from "../support/citizen.js";
import { testDrivers } from "../support/db.js";
import { jpegBytes } from "../support/sample-files.js";
import {
  fileTipOnWhatsApp,
  startWhatsAppApp,
  type WhatsAppTestApp,
} from "../support/whatsapp-fake-client.js";

const TOKEN = "424242:TEST-token-for-the-cross-channel-test";
const TELEGRAM_METRO = -100_4242;
const WHATSAPP_SOLOK = "120363033333333333@g.us";
const PHOTO_WA = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from("from whatsapp ".repeat(300))]);
const PHOTO_TG = jpegBytes(`from telegram ${"y".repeat(4000)}`);
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe.each(testDrivers())("cross-channel delivery (%s)", (driver) => {
  let stub: BotApiStub;
  let t: WhatsAppTestApp;

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    t = await startWhatsAppApp(driver, { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: stub.apiRoot });
    await t.app.services.directory.addDestination("18.72", "telegram", String(TELEGRAM_METRO), {
      actor: "test",
    });
    await t.app.services.directory.addDestination("13.72", "whatsapp", WHATSAPP_SOLOK, { actor: "test" });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await stub?.close();
  });

  it("filed on WhatsApp, delivered to a Telegram group with the same bytes", async () => {
    const number = await fileTipOnWhatsApp(t.network, "6281300000001@c.us", {
      file: { type: "image", mimetype: "image/jpeg", bytes: PHOTO_WA, caption: "bukti" },
    });
    const card = await stub.waitForMessage(TELEGRAM_METRO, {
      fromStart: true,
      match: (m) => (m.text ?? "").includes(number),
    });
    expect(card.text).toContain("Bawaslu Kota Metro");
    const doc = await stub.waitForMessage(TELEGRAM_METRO, {
      fromStart: true,
      match: (m) => m.method === "sendDocument" && (m.text ?? "").includes(number),
    });
    expect(sha(stub.fileBytes(doc.fileId!))).toBe(sha(PHOTO_WA));
  }, 60_000);

  it("filed on Telegram, delivered to a WhatsApp group with the same bytes", async () => {
    const user = stub.user("Rina");
    const next = (re: RegExp) => stub.waitForMessage(user.id, { match: (m) => re.test(m.text ?? "") });
    const press = (m: SentMessage, value: string) => stub.pressButton(user, m, `c:${value}`);
    stub.sendCommand(user, "/lapor");
    press(await next(/Pilih cara melapor/), "tip");
    press(await next(/Apa yang dilakukan ASN/), "atribut");
    await next(/Ceritakan kejadiannya/);
    stub.sendText(user, "Guru PNS memakai kaos partai saat mengajar di kelas, difoto murid.");
    press(await next(/Kapan kejadiannya/), "kemarin");
    await next(/Di mana kejadiannya/);
    stub.sendText(user, "kota solok");
    press(await next(/Kota Solok, Sumatera Barat\?/), "yes");
    press(await next(/Siapa nama ASN/), "none");
    press(await next(/Apa jabatannya/), "none");
    press(await next(/Di instansi/), "none");
    press(await next(/PNS atau PPPK/), "pns");
    await next(/Kirim bukti/);
    stub.sendPhoto(user, PHOTO_TG);
    press(await next(/Diterima: 1 file/), "done");
    press(await next(/ringkasan/), "submit");
    const number = TRACKING_NUMBER.exec((await next(TRACKING_NUMBER)).text!)![0];

    const { network, app } = t;
    const card = await network.waitFor(WHATSAPP_SOLOK, (s) => s.text.includes(number));
    expect(card.text).toContain("Bawaslu Kota Solok");
    expect(card.text).toMatch(/\n1\. ✅ Tindak lanjuti\n/);
    const media = await network.waitFor(
      WHATSAPP_SOLOK,
      (s) => s.content.kind === "media" && s.text.includes(number),
    );
    expect(media.content.kind === "media" && sha(Buffer.from(media.content.media.data, "base64"))).toBe(
      sha(PHOTO_TG),
    );
    const db = app.services.database.db;
    const [report] = await db.select().from(reports).where(eq(reports.number, number));
    expect(report).toMatchObject({ channel: "telegram", officeCode: "13.72" });
    const files = await db.select().from(evidence).where(eq(evidence.reportId, report!.id));
    expect(files.map((f) => f.sha256)).toEqual([sha(PHOTO_TG)]);
    await expect
      .poll(async () => (await db.select().from(reports).where(eq(reports.id, report!.id)))[0]!.status, {
        timeout: 15_000,
      })
      .toBe("delivered");
  }, 60_000);
});
