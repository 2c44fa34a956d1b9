/**
 * Telegram details over the real protocol boundary: the location-request button, files that are
 * too large or of the wrong type, a conversation that survives a restart of the program, and
 * webhook mode with its secret token.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, startApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import {
  type BotApiStub,
  type SentMessage,
  type StubUser,
  startBotApiStub,
} from "../support/bot-api-stub.js";

const TOKEN = "777777:TEST-token-for-edge-cases-only";
const logger = createLogger({ level: "silent" });

describe("Telegram edge cases", () => {
  let stub: BotApiStub;
  let dataDir: string;
  let config: Config;
  let app: App;

  beforeAll(async () => {
    stub = await startBotApiStub({ token: TOKEN });
    dataDir = mkdtempSync(join(tmpdir(), "lapor-tge-"));
    // 10 KB limit so "too large" can be shown without 20 MB of test data.
    config = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      MAX_FILE_MB: "0.01",
    });
    app = await startApp(config, logger, { workerIntervalMs: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await stub?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const next = (u: StubUser, match: RegExp) =>
    stub.waitForMessage(u.id, { match: (m) => match.test(m.text ?? "") });
  const press = (u: StubUser, m: SentMessage, value: string) => stub.pressButton(u, m, `c:${value}`);

  /** Walks a citizen to the question that `until` matches. */
  async function walk(u: StubUser, until: "place" | "evidence") {
    stub.sendCommand(u, "/lapor");
    press(u, await next(u, /Pilih cara melapor/), "tip");
    press(u, await next(u, /Apa yang dilakukan ASN/), "atribut");
    await next(u, /Ceritakan kejadiannya/);
    stub.sendText(u, "Pegawai kelurahan berkampanye memakai seragam dinas di pasar pagi ini.");
    press(u, await next(u, /Kapan kejadiannya/), "hari ini");
    const place = await next(u, /Di mana kejadiannya/);
    if (until === "place") return place;
    stub.sendText(u, "kota metro");
    press(u, await next(u, /Kota Metro, Lampung\?/), "yes");
    press(u, await next(u, /Siapa nama ASN/), "none");
    press(u, await next(u, /Apa jabatannya/), "none");
    press(u, await next(u, /Di instansi/), "none");
    press(u, await next(u, /PNS atau PPPK/), "tidak_tahu");
    return next(u, /Kirim bukti/);
  }

  it("asks for the place with a reply keyboard that has Telegram's location-request button", async () => {
    const u = stub.user("Lokasi");
    const place = await walk(u, "place");
    expect(place.reply_markup).toMatchObject({
      keyboard: [[{ text: "📍 Kirim lokasi saya", request_location: true }]],
      one_time_keyboard: true,
    });
  });

  it("refuses a file over the limit and a file of the wrong type kindly, and the flow goes on", async () => {
    const u = stub.user("Berkas");
    await walk(u, "evidence");
    stub.sendDocument(u, Buffer.alloc(20_000, 1), { fileName: "video-besar.mp4", mimeType: "video/mp4" });
    const big = await next(u, /terlalu besar|too large/i);
    expect(big.text).toContain("video-besar.mp4 terlalu besar (batas 10 KB)");
    stub.sendDocument(u, Buffer.from("MZ binary"), {
      fileName: "hadiah.exe",
      mimeType: "application/x-msdownload",
    });
    await next(u, /jenis file hadiah\.exe belum bisa kami terima/);
    stub.sendDocument(u, Buffer.from("%PDF-1.4 surat edaran"), {
      fileName: "surat.pdf",
      mimeType: "application/pdf",
    });
    const ok = await next(u, /Diterima: 1 file/);
    expect(ok.reply_markup).toBeDefined();
  });

  it("a conversation survives a restart of the program and continues where it was", async () => {
    const u = stub.user("Kembali");
    stub.sendCommand(u, "/lapor");
    const welcome = await next(u, /Pilih cara melapor/);
    press(u, welcome, "tip");
    const category = await next(u, /Apa yang dilakukan ASN/);
    await app.close();
    app = await startApp(config, logger, { workerIntervalMs: 0 });
    press(u, category, "pasang_apk");
    const account = await next(u, /Ceritakan kejadiannya/);
    expect(account.chat_id).toBe(u.id);
  });

  it("webhook mode: updates with the secret token are handled, others refused", async () => {
    await app.close();
    const hook = loadConfig({
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: stub.apiRoot,
      WEB_SIMULATOR: "false",
      PORT: "0",
      TELEGRAM_WEBHOOK_URL: "https://lapor.example.org/telegram/hook",
      TELEGRAM_WEBHOOK_SECRET: "s3cret-token-for-the-test",
    });
    app = await startApp(hook, logger, { workerIntervalMs: 0 });
    expect(stub.webhook).toMatchObject({
      url: "https://lapor.example.org/telegram/hook",
      secret_token: "s3cret-token-for-the-test",
    });
    const u = stub.user("Webhook");
    const update: Update = {
      update_id: 900_001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: u.id, type: "private", first_name: u.first_name },
        from: { ...u, is_bot: false },
        text: "halo",
      },
    };
    const post = (secret: string) =>
      fetch(`${app.web!.url}/telegram/hook`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body: JSON.stringify(update),
      });
    expect((await post("wrong-secret-value-xx")).status).toBe(401);
    expect((await post("s3cret-token-for-the-test")).status).toBe(200);
    const reply = await stub.waitForMessage(u.id, { fromStart: true });
    expect(reply.text).toMatch(/LaporNetral/);
  });
});
